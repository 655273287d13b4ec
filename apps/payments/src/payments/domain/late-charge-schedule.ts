// When the late-charge sweep asks the PSP again about a payment that failed while a charge
// request may still sit at the PSP. Pure: the sweep passes the clock's readings in.
//
// The checks back off per payment: the first `firstCheckMs` after the failure, then gaps
// that double up to `maxGapMs`, and one last check at `horizonMs` after the failure. Only a
// definitive "no charge" at or past the horizon ends the watch: a lookup the PSP did not
// answer never does.
export interface LateChargeSchedule {
  firstCheckMs: number;
  maxGapMs: number;
  // The PSP is assumed to act on a charge request, if ever, within this long of the
  // payment's failure (README, Failure).
  horizonMs: number;
}

export type NextCheck = { kind: 'check-at'; at: Date } | { kind: 'done' };

export function firstCheckAt(failedAt: Date, schedule: LateChargeSchedule): Date {
  return new Date(failedAt.getTime() + Math.min(schedule.firstCheckMs, schedule.horizonMs));
}

// After the PSP answered "no charge" at `checkedAt`, the watch's `checks`-th such answer.
export function afterNoCharge(
  failedAt: Date,
  checks: number,
  checkedAt: Date,
  schedule: LateChargeSchedule,
): NextCheck {
  const end = failedAt.getTime() + schedule.horizonMs;
  if (checkedAt.getTime() >= end) return { kind: 'done' };
  // Capped exponent: the gap reaches maxGapMs long before 2^30 and must not overflow.
  const gap = Math.min(schedule.firstCheckMs * 2 ** Math.min(checks, 30), schedule.maxGapMs);
  return { kind: 'check-at', at: new Date(Math.min(checkedAt.getTime() + gap, end)) };
}

// The PSP could not be asked: try again after the first gap, without counting a check.
export function afterUnanswered(checkedAt: Date, schedule: LateChargeSchedule): Date {
  return new Date(checkedAt.getTime() + schedule.firstCheckMs);
}
