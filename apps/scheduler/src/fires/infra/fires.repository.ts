import type { SqlExecutor } from '@suite/coordination';
import { fireAfter, idempotencyKeyOf } from '../../jobs/domain/job';
import { scheduleOf, targetOf, type JobRow } from '../../jobs/infra/jobs.repository';
import type { Fire, FireRecord } from '../domain/fire';

type DueRow = Pick<
  JobRow,
  'id' | 'partition' | 'schedule_kind' | 'run_at_ms' | 'cron' | 'target_kind' | 'target' | 'payload'
> & { next_fire_at_ms: number };

type PendingRow = Pick<JobRow, 'target_kind' | 'target' | 'payload'> & {
  job_id: string;
  scheduled_at_ms: number;
  idempotency_key: string;
  partition: number;
};

interface FireRow {
  job_id: string;
  scheduled_at_ms: number;
  idempotency_key: string;
  status: 'pending' | 'delivered';
  attempts: number;
  claimed_at_ms: number;
  claimed_by: string;
  delivered_at_ms: number | null;
  delivered_by: string | null;
}

// The firing path's SQL. Every write here runs in a transaction that first passed the
// partition's fence (checkPartitionFence), except in the naive mode kept for the tests.
export class FiresRepository {
  // Partitions among `partitions` with a job due now or a fire waiting to be delivered again:
  // one indexed look per pass instead of one transaction per partition.
  async partitionsWithWork(
    sql: SqlExecutor,
    partitions: readonly number[],
    owner: string,
    redeliverAfterMs: number,
  ): Promise<number[]> {
    if (partitions.length === 0) return [];
    const { rows } = await sql.query<{ partition: number }>(
      `select distinct partition from jobs
        where partition = any($1::int[]) and status = 'active' and next_fire_at <= now()
       union
       select distinct partition from fires
        where partition = any($1::int[]) and status = 'pending'
          and (claimed_by <> $2 or claimed_at < now() - make_interval(secs => $3::float8 / 1000))`,
      [partitions, owner, redeliverAfterMs],
    );
    return rows.map((r) => r.partition);
  }

  // Claims up to `limit` due jobs of one partition: a pending fire for each, keyed by
  // (job, scheduled time), and the job moved to its next time (or finished), in the caller's
  // transaction. The row locks keep an unfenced second claimer (the naive mode) from taking
  // the same fire twice within one transaction's life.
  async claimDue(
    sql: SqlExecutor,
    partition: number,
    limit: number,
    owner: string,
    token: number,
  ): Promise<Fire[]> {
    const { rows } = await sql.query<DueRow>(
      `select id, partition, schedule_kind, (extract(epoch from run_at) * 1000)::float8 as run_at_ms,
              cron, target_kind, target, payload,
              (extract(epoch from next_fire_at) * 1000)::float8 as next_fire_at_ms
         from jobs
        where partition = $1 and status = 'active' and next_fire_at <= now()
        order by next_fire_at
        limit $2
        for update skip locked`,
      [partition, limit],
    );
    if (rows.length === 0) return [];
    const fires: Fire[] = rows.map((row) => ({
      jobId: row.id,
      scheduledAt: Number(row.next_fire_at_ms),
      idempotencyKey: idempotencyKeyOf(row.id, Number(row.next_fire_at_ms)),
      partition: row.partition,
      target: targetOf(row),
      payload: row.payload,
    }));
    const next = rows.map((row) => fireAfter(scheduleOf(row), Number(row.next_fire_at_ms)));
    await sql.query(
      `insert into fires (job_id, scheduled_at, idempotency_key, partition, claimed_by,
                          claimed_token, claimed_seq)
       select f.job_id, to_timestamp(f.at / 1000), f.key, $4, $5, $6, nextval('fire_writes')
         from unnest($1::uuid[], $2::float8[], $3::text[]) as f(job_id, at, key)
       on conflict do nothing`,
      [
        fires.map((f) => f.jobId),
        fires.map((f) => f.scheduledAt),
        fires.map((f) => f.idempotencyKey),
        partition,
        owner,
        token,
      ],
    );
    await sql.query(
      `update jobs j
          set next_fire_at = case when n.next_ms is null then null
                                  else to_timestamp(n.next_ms / 1000) end,
              status = case when n.next_ms is null then 'done' else 'active' end
         from unnest($1::uuid[], $2::float8[]) as n(id, next_ms)
        where j.id = n.id`,
      [rows.map((r) => r.id), next],
    );
    return fires;
  }

  // Fires of one partition that were claimed but not marked delivered: by a former owner
  // (perhaps paused or dead mid-delivery), or by this one longer ago than `redeliverAfterMs`
  // (its delivery failed). This owner claims them again, with its token, in the caller's
  // (fenced) transaction, and delivers them again under the same key.
  async reclaimUndelivered(
    sql: SqlExecutor,
    partition: number,
    owner: string,
    token: number,
    redeliverAfterMs: number,
    limit: number,
  ): Promise<Fire[]> {
    const { rows } = await sql.query<PendingRow>(
      `with stale as (
         select idempotency_key from fires
          where partition = $1 and status = 'pending'
            and (claimed_by <> $2 or claimed_at < now() - make_interval(secs => $3::float8 / 1000))
          order by scheduled_at
          limit $4
          for update skip locked),
       reclaimed as (
         update fires f
            set claimed_at = now(), claimed_by = $2, claimed_token = $5,
                claimed_seq = nextval('fire_writes')
           from stale where f.idempotency_key = stale.idempotency_key
         returning f.job_id, f.scheduled_at, f.idempotency_key, f.partition)
       select r.job_id, (extract(epoch from r.scheduled_at) * 1000)::float8 as scheduled_at_ms,
              r.idempotency_key, r.partition, j.target_kind, j.target, j.payload
         from reclaimed r join jobs j on j.id = r.job_id
        order by r.scheduled_at`,
      [partition, owner, redeliverAfterMs, limit, token],
    );
    return rows.map((row) => ({
      jobId: row.job_id,
      scheduledAt: Number(row.scheduled_at_ms),
      idempotencyKey: row.idempotency_key,
      partition: row.partition,
      target: targetOf(row),
      payload: row.payload,
    }));
  }

  // Marks delivered fires (by key) and counts the attempt; fired-and-failed ones only count
  // the attempt and claim again under this owner, so they wait REDELIVER_AFTER_MS.
  async recordDeliveries(
    sql: SqlExecutor,
    delivered: readonly string[],
    failed: readonly string[],
    owner: string,
    token: number,
    // false only for the naive variant: it overwrites a fire another owner already recorded.
    { onlyPending }: { onlyPending: boolean } = { onlyPending: true },
  ): Promise<void> {
    if (delivered.length > 0) {
      await sql.query(
        `update fires
            set status = 'delivered', attempts = attempts + 1, delivered_at = clock_timestamp(),
                delivered_by = $2, delivered_token = $3, delivered_seq = nextval('fire_writes')
          where idempotency_key = any($1::text[]) and (status = 'pending' or not $4)`,
        [delivered, owner, token, onlyPending],
      );
    }
    if (failed.length > 0) {
      await sql.query(
        `update fires
            set attempts = attempts + 1, claimed_at = now(), claimed_by = $2, claimed_token = $3,
                claimed_seq = nextval('fire_writes')
          where idempotency_key = any($1::text[]) and status = 'pending'`,
        [failed, owner, token],
      );
    }
  }

  async listForJob(sql: SqlExecutor, jobId: string, limit: number): Promise<FireRecord[]> {
    const { rows } = await sql.query<FireRow>(
      `select job_id, (extract(epoch from scheduled_at) * 1000)::float8 as scheduled_at_ms,
              idempotency_key, status, attempts,
              (extract(epoch from claimed_at) * 1000)::float8 as claimed_at_ms, claimed_by,
              (extract(epoch from delivered_at) * 1000)::float8 as delivered_at_ms, delivered_by
         from fires where job_id = $1
        order by scheduled_at desc
        limit $2`,
      [jobId, limit],
    );
    return rows.map((r) => ({
      jobId: r.job_id,
      scheduledAt: Number(r.scheduled_at_ms),
      idempotencyKey: r.idempotency_key,
      status: r.status,
      attempts: r.attempts,
      claimedAt: Number(r.claimed_at_ms),
      claimedBy: r.claimed_by,
      deliveredAt: r.delivered_at_ms === null ? null : Number(r.delivered_at_ms),
      deliveredBy: r.delivered_by,
    }));
  }

  // Naive mode only: every due job of every partition, read without a lock, and moved on with
  // a blind write. Two instances that read at the same moment both fire it.
  async readDueUnlocked(sql: SqlExecutor, limit: number): Promise<DueRow[]> {
    const { rows } = await sql.query<DueRow>(
      `select id, partition, schedule_kind, (extract(epoch from run_at) * 1000)::float8 as run_at_ms,
              cron, target_kind, target, payload,
              (extract(epoch from next_fire_at) * 1000)::float8 as next_fire_at_ms
         from jobs where status = 'active' and next_fire_at <= now()
        order by next_fire_at limit $1`,
      [limit],
    );
    return rows;
  }

  async moveOnBlindly(sql: SqlExecutor, rows: readonly DueRow[]): Promise<void> {
    for (const row of rows) {
      const next = fireAfter(scheduleOf(row), Number(row.next_fire_at_ms));
      await sql.query(
        `update jobs set next_fire_at = case when $2::float8 is null then null
                                             else to_timestamp($2::float8 / 1000) end,
                         status = case when $2::float8 is null then 'done' else 'active' end
          where id = $1`,
        [row.id, next],
      );
    }
  }
}

export type { DueRow };
