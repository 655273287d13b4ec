import { CronExpressionParser } from 'cron-parser';

// A job fires at one time (once) or at every time of a cron expression (cron, in UTC; five
// fields, or six with seconds first). Each fire goes to one target with the job's payload.
export type Schedule = { kind: 'once'; runAt: number } | { kind: 'cron'; cron: string };

export type Target = { kind: 'kafka'; topic: string } | { kind: 'http'; url: string };

export type JobStatus = 'active' | 'done' | 'cancelled';

export interface Job {
  id: string;
  partition: number;
  schedule: Schedule;
  target: Target;
  payload: unknown;
  status: JobStatus;
  // The next time it fires; null once it never will again (done or cancelled).
  nextFireAt: number | null;
  createdAt: number;
  cancelledAt: number | null;
}

export type ScheduleProblem = 'run-at-in-the-past' | 'cron-invalid' | 'cron-never-fires';

// The first cron time strictly after `afterMs`, or null when the expression has none.
export function nextCronTime(cron: string, afterMs: number): number | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(afterMs), tz: 'UTC' })
      .next()
      .getTime();
  } catch {
    return null;
  }
}

export function cronIsValid(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

// The first fire of a new job, or why it has none. A one-off time up to `graceMs` in the past
// is accepted (it fires at once): a client's clock and the request's trip take a little time.
export function firstFire(
  schedule: Schedule,
  nowMs: number,
  graceMs = 1_000,
): { ok: true; at: number } | { ok: false; problem: ScheduleProblem } {
  if (schedule.kind === 'once') {
    if (schedule.runAt < nowMs - graceMs) return { ok: false, problem: 'run-at-in-the-past' };
    return { ok: true, at: schedule.runAt };
  }
  if (!cronIsValid(schedule.cron)) return { ok: false, problem: 'cron-invalid' };
  const at = nextCronTime(schedule.cron, nowMs);
  return at === null ? { ok: false, problem: 'cron-never-fires' } : { ok: true, at };
}

// After firing at `scheduledAt`: the next time, or null when the job is done. Computed from
// the scheduled time, not from now, so a late fire does not shift the ones after it and a
// job whose owner was down fires each missed time once, in order.
export function fireAfter(schedule: Schedule, scheduledAt: number): number | null {
  return schedule.kind === 'once' ? null : nextCronTime(schedule.cron, scheduledAt);
}

// The one key of one fire: every delivery of it carries this, so the receiver applies it once.
export function idempotencyKeyOf(jobId: string, scheduledAt: number): string {
  return `${jobId}:${new Date(scheduledAt).toISOString()}`;
}

export type JobView = {
  id: string;
  partition: number;
  schedule: { kind: 'once'; runAt: string } | { kind: 'cron'; cron: string };
  target: Target;
  payload: unknown;
  status: JobStatus;
  nextFireAt: string | null;
  createdAt: string;
  cancelledAt: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    partition: job.partition,
    schedule:
      job.schedule.kind === 'once'
        ? { kind: 'once', runAt: new Date(job.schedule.runAt).toISOString() }
        : { kind: 'cron', cron: job.schedule.cron },
    target: job.target,
    payload: job.payload,
    status: job.status,
    nextFireAt: iso(job.nextFireAt),
    createdAt: new Date(job.createdAt).toISOString(),
    cancelledAt: iso(job.cancelledAt),
  };
}
