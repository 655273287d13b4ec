import type { SqlExecutor } from '../../ports/sql-executor';
import { PENDING_METRICS, PUBLISH_LATENCY, PURGE_PUBLISHED } from './outbox.sql';

export interface OutboxBacklog {
  // Rows committed and not yet published.
  backlog: number;
  // Age of the oldest of them, by database time: the relay's lag. 0 when empty.
  oldestPendingAgeMs: number;
}

// Plain numbers for whatever exports metrics (the apps' Prometheus endpoint, a log).
export async function outboxBacklog(sql: SqlExecutor, shard?: number): Promise<OutboxBacklog> {
  const result = await sql.query<{ backlog: number; oldest_pending_age_ms: number }>(
    PENDING_METRICS,
    [shard ?? null],
  );
  const row = result.rows[0];
  return {
    backlog: row?.backlog ?? 0,
    oldestPendingAgeMs: Number(row?.oldest_pending_age_ms ?? 0),
  };
}

export interface PublishLatency {
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

// Commit-to-publish latency (created_at to published_at) of rows published within the
// last windowMs. created_at is the insert time, at most the commit time.
export async function outboxPublishLatency(
  sql: SqlExecutor,
  windowMs: number,
  shard?: number,
): Promise<PublishLatency> {
  const result = await sql.query<{ samples: number; p50_ms: number | null; p99_ms: number | null }>(
    PUBLISH_LATENCY,
    [windowMs, shard ?? null],
  );
  const row = result.rows[0];
  return {
    samples: row?.samples ?? 0,
    p50Ms: row?.p50_ms == null ? null : Number(row.p50_ms),
    p99Ms: row?.p99_ms == null ? null : Number(row.p99_ms),
  };
}

// Deletes published rows older than retentionMs, in bounded batches.
export async function purgePublishedOutbox(
  sql: SqlExecutor,
  options: { retentionMs: number; batchSize?: number; maxBatches?: number },
): Promise<{ deleted: number; more: boolean }> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 20;
  let deleted = 0;
  let last = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await sql.query(PURGE_PUBLISHED, [options.retentionMs, batchSize]);
    last = result.rowCount ?? 0;
    deleted += last;
    if (last < batchSize) break;
  }
  return { deleted, more: last === batchSize };
}
