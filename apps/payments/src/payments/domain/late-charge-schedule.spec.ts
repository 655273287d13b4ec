import fc from 'fast-check';
import {
  afterNoCharge,
  firstCheckAt,
  type LateChargeSchedule,
  type NextCheck,
} from './late-charge-schedule';

const DEFAULTS: LateChargeSchedule = {
  firstCheckMs: 30_000,
  maxGapMs: 300_000,
  horizonMs: 900_000,
};
const FAILED_AT = new Date('2026-12-01T12:00:00Z');
const offset = (at: Date) => (at.getTime() - FAILED_AT.getTime()) / 1000;

// Every check the sweep makes when each one runs exactly on time and finds nothing.
function onTimeChecks(schedule: LateChargeSchedule, failedAt = FAILED_AT): Date[] {
  const checks = [firstCheckAt(failedAt, schedule)];
  for (;;) {
    const last = checks[checks.length - 1] as Date;
    const next: NextCheck = afterNoCharge(failedAt, checks.length, last, schedule);
    if (next.kind === 'done') return checks;
    checks.push(next.at);
  }
}

describe('late-charge schedule', () => {
  it('checks at 30 s, then backs off to 5 min gaps, and checks last at the 15 min horizon', () => {
    expect(onTimeChecks(DEFAULTS).map(offset)).toEqual([30, 90, 210, 450, 750, 900]);
  });

  it('ends a watch only on a no-charge answer at or past the horizon, however late', () => {
    const end = new Date(FAILED_AT.getTime() + DEFAULTS.horizonMs);
    expect(afterNoCharge(FAILED_AT, 1, new Date(end.getTime() - 1), DEFAULTS)).toEqual({
      kind: 'check-at',
      at: end,
    });
    expect(afterNoCharge(FAILED_AT, 9, end, DEFAULTS)).toEqual({ kind: 'done' });
    expect(afterNoCharge(FAILED_AT, 1, new Date(end.getTime() + 3_600_000), DEFAULTS)).toEqual({
      kind: 'done',
    });
  });

  it('never leaves a gap above the cap, never schedules past the horizon, always ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        (firstCheckMs, extraGap, extraHorizon) => {
          const maxGapMs = firstCheckMs + extraGap;
          const schedule = { firstCheckMs, maxGapMs, horizonMs: maxGapMs + extraHorizon };
          const checks = onTimeChecks(schedule);
          const end = FAILED_AT.getTime() + schedule.horizonMs;
          // The last check is at the horizon: a charge made before it is found.
          expect(checks[checks.length - 1]?.getTime()).toBe(end);
          let previous = FAILED_AT.getTime();
          for (const check of checks) {
            expect(check.getTime() - previous).toBeLessThanOrEqual(maxGapMs);
            expect(check.getTime()).toBeLessThanOrEqual(end);
            previous = check.getTime();
          }
          // Bounded: the doubling phase, then the capped gaps up to the horizon.
          const doublings = Math.ceil(Math.log2(maxGapMs / firstCheckMs)) + 1;
          expect(checks.length).toBeLessThanOrEqual(
            doublings + Math.ceil(schedule.horizonMs / maxGapMs) + 1,
          );
        },
      ),
    );
  });
});
