import type { SqlExecutor } from '@suite/coordination';
import { CronExpressionParser } from 'cron-parser';

// Reads the scheduler's database after a run and counts what must never happen to a fire.
// Framework-free: a pg Pool or Client will do. It recomputes every job's schedule itself (with
// the cron library, not the service's code) and compares it with the loopback sink's table,
// where each idempotency key's first delivery applied the effect.
export interface SchedulerInvariantReport {
  jobs: number;
  // Fires due at or before `until`, by the jobs' schedules.
  expectedFires: number;
  // Distinct fires (job, scheduled time) whose effect the sink applied.
  appliedFires: number;
  // Every delivery the sink received, repeats included.
  deliveries: number;
  violations: {
    // Expected and never applied.
    missed: number;
    // Applied more than once: two keys for one fire (each key is applied once by the sink).
    appliedTwice: number;
    // Applied before its scheduled time.
    early: number;
    // Applied for a time that is not one of the job's.
    unscheduled: number;
    // A fire written (claimed or marked delivered) with a partition token lower than one that
    // had already written to that partition: a former owner's write that got through.
    staleOwnerWrites: number;
  };
  total: number;
}

export interface SchedulerInvariantOptions {
  // Epoch ms: fires scheduled up to here must have been applied.
  until: number;
  // Only these jobs (a test's own); omitted: every job.
  jobIds?: readonly string[];
  // A job that fires more often than this over the window is not enumerated past it.
  maxFiresPerJob?: number;
}

interface JobRow {
  id: string;
  schedule_kind: 'once' | 'cron';
  cron: string | null;
  first_ms: number;
  cancelled_ms: number | null;
}

const fireId = (jobId: string, ms: number) => `${jobId}@${ms}`;

function expectedTimes(job: JobRow, until: number, max: number): number[] {
  const end = Math.min(until, job.cancelled_ms ?? Infinity);
  const first = Number(job.first_ms);
  if (first > end) return [];
  if (job.schedule_kind === 'once' || job.cron === null) return [first];
  const times = [first];
  const cron = CronExpressionParser.parse(job.cron, { currentDate: new Date(first), tz: 'UTC' });
  while (times.length < max) {
    const next = cron.next().getTime();
    if (next > end) break;
    times.push(next);
  }
  return times;
}

export async function verifySchedulerInvariants(
  sql: SqlExecutor,
  options: SchedulerInvariantOptions,
): Promise<SchedulerInvariantReport> {
  const scope = options.jobIds ? [...options.jobIds] : null;
  const { rows: jobs } = await sql.query<JobRow>(
    `select id::text, schedule_kind, cron,
            (extract(epoch from first_fire_at) * 1000)::float8 as first_ms,
            (extract(epoch from cancelled_at) * 1000)::float8 as cancelled_ms
       from jobs where ($1::uuid[] is null or id = any($1::uuid[]))`,
    [scope],
  );
  const { rows: applied } = await sql.query<{
    job_id: string;
    scheduled_ms: number;
    keys: number;
    deliveries: number;
    early: number;
  }>(
    `select job_id, (extract(epoch from scheduled_at) * 1000)::float8 as scheduled_ms,
            count(*)::int as keys, sum(deliveries)::int as deliveries,
            count(*) filter (where first_at < scheduled_at)::int as early
       from sink_deliveries where ($1::text[] is null or job_id = any($1::text[]))
      group by job_id, scheduled_at`,
    [scope],
  );
  // A cancelled job's fires up to its cancellation are expected only if they were claimed:
  // cancelling drops a fire that was due and not yet taken.
  const { rows: claimed } = await sql.query<{ job_id: string; scheduled_ms: number }>(
    `select f.job_id::text, (extract(epoch from f.scheduled_at) * 1000)::float8 as scheduled_ms
       from fires f join jobs j on j.id = f.job_id
      where j.cancelled_at is not null and ($1::uuid[] is null or f.job_id = any($1::uuid[]))`,
    [scope],
  );
  const claimedOfCancelled = new Set(claimed.map((c) => fireId(c.job_id, Number(c.scheduled_ms))));

  const expected = new Set<string>();
  const byId = new Map<string, JobRow>();
  const max = options.maxFiresPerJob ?? 100_000;
  for (const job of jobs) {
    byId.set(job.id, job);
    for (const t of expectedTimes(job, options.until, max)) {
      const id = fireId(job.id, t);
      if (job.cancelled_ms === null || claimedOfCancelled.has(id)) expected.add(id);
    }
  }
  let appliedTwice = 0;
  let early = 0;
  let unscheduled = 0;
  let deliveries = 0;
  const appliedIds = new Set<string>();
  for (const row of applied) {
    const ms = Number(row.scheduled_ms);
    const id = fireId(row.job_id, ms);
    appliedIds.add(id);
    deliveries += row.deliveries;
    if (row.keys > 1) appliedTwice += row.keys - 1;
    early += row.early;
    const job = byId.get(row.job_id);
    if (ms <= options.until && job !== undefined && !expected.has(id)) {
      // Not expected, but perhaps a scheduled time all the same (a cancelled job's).
      if (!expectedTimes({ ...job, cancelled_ms: null }, ms, max).includes(ms)) unscheduled++;
    }
  }
  let missed = 0;
  for (const id of expected) if (!appliedIds.has(id)) missed++;

  const { rows: stale } = await sql.query<{ n: number }>(
    `with writes as (
       select partition, claimed_token as token, claimed_seq as seq from fires
        where ($1::uuid[] is null or job_id = any($1::uuid[]))
       union all
       select partition, delivered_token, delivered_seq from fires
        where delivered_seq is not null and ($1::uuid[] is null or job_id = any($1::uuid[]))),
     ordered as (
       select token, max(token) over (partition by partition order by seq
                                      rows between unbounded preceding and 1 preceding) as before
         from writes)
     select count(*)::int as n from ordered where before is not null and token < before`,
    [scope],
  );

  const violations = {
    missed,
    appliedTwice,
    early,
    unscheduled,
    staleOwnerWrites: Number(stale[0]?.n ?? 0),
  };
  return {
    jobs: jobs.length,
    expectedFires: expected.size,
    appliedFires: appliedIds.size,
    deliveries,
    violations,
    total: Object.values(violations).reduce((a, b) => a + b, 0),
  };
}
