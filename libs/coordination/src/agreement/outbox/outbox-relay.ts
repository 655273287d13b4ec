import type { MessageProducer, OutgoingMessage } from '../../ports/message-producer';
import type { SqlExecutor } from '../../ports/sql-executor';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { CLAIM_BATCH, MARK_PUBLISHED } from './outbox.sql';
import { MESSAGE_ID_HEADER } from './outbox-writer';

export const OUTBOX_ID_HEADER = 'outbox-id';

export interface OutboxRelayOptions {
  shard?: number;
  batchSize?: number;
  // The seam for "one relay per shard": called inside the claim transaction, after the
  // rows are locked and before anything is published. Return false when this process is
  // no longer the shard's owner; the batch is then rolled back unpublished. A lease
  // wrapper passes a fenced write here (the token stored per shard), so a relay that
  // lost its lease while paused cannot publish or mark anything.
  fence?: (tx: SqlExecutor) => Promise<boolean>;
  // Observer called after the broker acknowledged a batch and before its rows are
  // marked (tracing; crash tests use it to die at the worst moment).
  onPublished?: (batch: { count: number; ids: string[] }) => Promise<void> | void;
}

export type RelayBatchOutcome =
  | { kind: 'published'; count: number }
  | { kind: 'idle' }
  | { kind: 'fenced-out' };

export interface RelayStats {
  batches: number;
  published: number;
  failures: number;
  lastError: string | null;
}

interface ClaimedRow {
  id: string;
  message_id: string;
  topic: string;
  aggregate_key: string;
  payload: string;
  headers: Record<string, string>;
}

class FencedOut extends Error {}

// Publishes one shard's outbox rows at least once, in id order per aggregate key.
// One batch is one database transaction: claim (row locks), publish, mark, commit. A
// crash anywhere before the commit releases the locks and the rows go again; consumers
// dedupe with the inbox on the message-id header.
export class OutboxRelay {
  readonly shard: number;
  private readonly batchSize: number;
  private readonly counters: RelayStats = {
    batches: 0,
    published: 0,
    failures: 0,
    lastError: null,
  };

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly producer: MessageProducer,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.shard = options.shard ?? 0;
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.shard) || this.shard < 0) {
      throw new RangeError(`OutboxRelay: shard must be a non-negative integer (got ${this.shard})`);
    }
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(
        `OutboxRelay: batchSize must be a positive integer (got ${this.batchSize})`,
      );
    }
  }

  async publishBatch(): Promise<RelayBatchOutcome> {
    try {
      const outcome = await this.transactions.inTransaction(async (tx) => {
        const claimed = await tx.query<ClaimedRow>(CLAIM_BATCH, [this.shard, this.batchSize]);
        if (claimed.rows.length === 0) return { kind: 'idle' } as const;
        if (this.options.fence && !(await this.options.fence(tx))) throw new FencedOut();

        // Consecutive rows of one topic go in one send; topics keep their id order.
        for (const run of runsByTopic(claimed.rows)) {
          await this.producer.send(run.topic, run.rows.map(toMessage));
        }
        const ids = claimed.rows.map((row) => String(row.id));
        await this.options.onPublished?.({ count: ids.length, ids });
        await tx.query(MARK_PUBLISHED, [ids]);
        return { kind: 'published', count: ids.length } as const;
      });
      if (outcome.kind === 'published') {
        this.counters.batches += 1;
        this.counters.published += outcome.count;
      }
      return outcome;
    } catch (error) {
      if (error instanceof FencedOut) return { kind: 'fenced-out' };
      this.counters.failures += 1;
      this.counters.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  // Publishes until the shard has nothing claimable, at most maxBatches batches.
  async drain(maxBatches = 1_000): Promise<{ published: number; batches: number; idle: boolean }> {
    let published = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const outcome = await this.publishBatch();
      if (outcome.kind !== 'published')
        return { published, batches, idle: outcome.kind === 'idle' };
      published += outcome.count;
    }
    return { published, batches: maxBatches, idle: false };
  }

  // Polls until `signal` aborts. A failed batch (broker or database down) is counted
  // and retried after a backoff; it never ends the loop.
  async run(
    signal: AbortSignal,
    timing: { idleDelayMs?: number; errorDelayMs?: number } = {},
  ): Promise<void> {
    const idleDelayMs = timing.idleDelayMs ?? 200;
    const errorDelayMs = timing.errorDelayMs ?? 1_000;
    while (!signal.aborted) {
      let delay = 0;
      try {
        const outcome = await this.publishBatch();
        if (outcome.kind !== 'published') delay = idleDelayMs;
      } catch {
        delay = errorDelayMs;
      }
      if (delay > 0) await sleep(delay, signal);
    }
  }

  stats(): RelayStats {
    return { ...this.counters };
  }
}

function toMessage(row: ClaimedRow): OutgoingMessage {
  return {
    key: row.aggregate_key,
    value: row.payload,
    headers: {
      ...row.headers,
      [MESSAGE_ID_HEADER]: row.message_id,
      [OUTBOX_ID_HEADER]: String(row.id),
    },
  };
}

function runsByTopic(rows: readonly ClaimedRow[]): { topic: string; rows: ClaimedRow[] }[] {
  const runs: { topic: string; rows: ClaimedRow[] }[] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last.topic === row.topic) last.rows.push(row);
    else runs.push({ topic: row.topic, rows: [row] });
  }
  return runs;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
