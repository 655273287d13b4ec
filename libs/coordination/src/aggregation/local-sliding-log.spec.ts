import fc from 'fast-check';
import { FakeClock } from '../clock/fake-clock';
import { LocalSlidingLog } from './local-sliding-log';

// The model: every admit ever made, and a brute-force count over (now - windowMs, now].
class ModelLimiter {
  private readonly admits = new Map<string, { at: number; units: number }[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  check(key: string, cost: number, now: number): boolean {
    const history = this.admits.get(key) ?? [];
    const used = history
      .filter((a) => a.at > now - this.windowMs)
      .reduce((sum, a) => sum + a.units, 0);
    if (used + cost > this.limit) return false;
    history.push({ at: now, units: cost });
    this.admits.set(key, history);
    return true;
  }

  maxInAnyWindow(key: string): number {
    const history = this.admits.get(key) ?? [];
    return Math.max(
      0,
      ...history.map((end) =>
        history
          .filter((a) => a.at > end.at - this.windowMs && a.at <= end.at)
          .reduce((sum, a) => sum + a.units, 0),
      ),
    );
  }
}

describe('in-process fallback limiter', () => {
  it('decides exactly as the model and never admits more than the limit in any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.array(
          fc.record({
            advanceMs: fc.oneof(
              fc.constant(0),
              fc.integer({ min: 0, max: 200 }),
              fc.integer({ min: 0, max: 6_000 }),
            ),
            key: fc.constantFrom('a', 'b', 'c'),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 120 },
        ),
        (limit, windowMs, plan) => {
          const clock = new FakeClock(1_700_000_000_000);
          const local = new LocalSlidingLog({ limit, windowMs, clock });
          const model = new ModelLimiter(limit, windowMs);
          for (const { advanceMs, key, share } of plan) {
            clock.advance(advanceMs);
            const cost = Math.round(share * limit);
            expect(local.check(key, cost).allowed).toBe(model.check(key, cost, clock.now()));
          }
          for (const key of ['a', 'b', 'c'])
            expect(model.maxInAnyWindow(key)).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });

  it('slides with the clock: a unit is free again exactly one window after it was admitted', () => {
    const clock = new FakeClock(10_000);
    const local = new LocalSlidingLog({ limit: 2, windowMs: 1_000, clock });
    expect(local.check('k').allowed).toBe(true);
    clock.advance(400);
    expect(local.check('k').allowed).toBe(true);
    expect(local.check('k')).toMatchObject({ allowed: false, retryAfterMs: 600, resetMs: 1_000 });
    clock.advance(599);
    expect(local.check('k').allowed).toBe(false);
    clock.advance(1);
    expect(local.check('k')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('forgets the least recently used keys beyond its bound, and drops keys whose window emptied', () => {
    const clock = new FakeClock(0);
    const local = new LocalSlidingLog({ limit: 1, windowMs: 1_000, clock, maxKeys: 2 });
    local.check('a');
    local.check('b');
    local.check('a');
    local.check('c');
    expect(local.size).toBe(2);
    // 'b' was least recently used, so it was forgotten and starts again with its full limit.
    expect(local.check('b').allowed).toBe(true);
    expect(local.check('c').allowed).toBe(false);
    clock.advance(1_000);
    // Touching a key whose units have all left the window drops it.
    local.check('b', 0);
    expect(local.size).toBe(1);
  });
});
