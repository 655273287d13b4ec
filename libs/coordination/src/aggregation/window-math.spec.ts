import fc from 'fast-check';
import {
  gcraDecide,
  gcraIntervalUs,
  slidingCounterDecide,
  slidingCounterScaledUsage,
  slidingLogDecide,
  type CounterState,
  type LogEntry,
  type WindowDecision,
} from './window-math';

// Arbitrary request timings: small steps (same window, same ms) mixed with long gaps.
const params = fc.record({
  limit: fc.integer({ min: 1, max: 20 }),
  windowMs: fc.integer({ min: 1, max: 5_000 }),
  start: fc.integer({ min: 0, max: 10_000_000 }),
});
const requests = fc.array(
  fc.record({
    advanceMs: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 12_000 }),
    ),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { minLength: 1, maxLength: 60 },
);
const costOf = (share: number, max: number) => Math.round(share * max);

type Step = (nowMs: number, cost: number) => WindowDecision;

// Runs a request sequence through a stateful decide function and returns what it admitted.
function drive(step: () => Step, start: number, plan: { advanceMs: number; cost: number }[]) {
  const decide = step();
  const admits: { at: number; units: number }[] = [];
  let now = start;
  for (const { advanceMs, cost } of plan) {
    now += advanceMs;
    const decision = decide(now, cost);
    if (decision.allowed) admits.push({ at: now, units: cost });
  }
  return admits;
}

// The most units admitted in any window (t - windowMs, t].
function maxInWindow(admits: { at: number; units: number }[], windowMs: number): number {
  let max = 0;
  for (const end of admits) {
    const sum = admits
      .filter((a) => a.at > end.at - windowMs && a.at <= end.at)
      .reduce((s, a) => s + a.units, 0);
    max = Math.max(max, sum);
  }
  return max;
}

const logStep = (limit: number, windowMs: number) => (): Step => {
  let entries: LogEntry[] = [];
  return (nowMs, cost) => {
    const next = slidingLogDecide(entries, { limit, windowMs, cost, nowMs });
    entries = next.entries;
    return next.decision;
  };
};

describe('sliding-window log math', () => {
  it('never admits more than the limit in any window', () => {
    fc.assert(
      fc.property(params, requests, ({ limit, windowMs, start }, plan) => {
        const admits = drive(
          logStep(limit, windowMs),
          start,
          plan.map((r) => ({ advanceMs: r.advanceMs, cost: costOf(r.share, limit) })),
        );
        expect(maxInWindow(admits, windowMs)).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it('retry-after is exact: denied 1 ms earlier, admitted at it', () => {
    fc.assert(
      fc.property(params, requests, ({ limit, windowMs, start }, plan) => {
        let entries: LogEntry[] = [];
        let now = start;
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const cost = costOf(share, limit);
          const { decision, entries: after } = slidingLogDecide(entries, {
            limit,
            windowMs,
            cost,
            nowMs: now,
          });
          if (!decision.allowed) {
            const at = (t: number) =>
              slidingLogDecide(entries, { limit, windowMs, cost, nowMs: t }).decision;
            expect(decision.retryAfterMs).toBeGreaterThan(0);
            expect(at(now + decision.retryAfterMs - 1).allowed).toBe(false);
            expect(at(now + decision.retryAfterMs).allowed).toBe(true);
          } else {
            expect(decision.retryAfterMs).toBe(0);
          }
          entries = after;
        }
      }),
    );
  });

  it('reset is when the full limit is free again', () => {
    fc.assert(
      fc.property(params, requests, ({ limit, windowMs, start }, plan) => {
        let entries: LogEntry[] = [];
        let now = start;
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const next = slidingLogDecide(entries, {
            limit,
            windowMs,
            cost: costOf(share, limit),
            nowMs: now,
          });
          entries = next.entries;
          const later = (t: number) =>
            slidingLogDecide(entries, { limit, windowMs, cost: 0, nowMs: t }).decision.remaining;
          expect(later(now + next.decision.resetMs)).toBe(limit);
          if (next.decision.resetMs > 0)
            expect(later(now + next.decision.resetMs - 1)).toBeLessThan(limit);
        }
      }),
    );
  });
});

describe('sliding-window counter math', () => {
  const counterStep = (limit: number, windowMs: number) => (): Step => {
    let state: CounterState | undefined;
    return (nowMs, cost) => {
      const next = slidingCounterDecide(state, { limit, windowMs, cost, nowMs });
      state = next.state;
      return next.decision;
    };
  };

  it('weights the previous window linearly from full at the window start to nothing at its end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (previous, current, windowMs, fraction) => {
          const elapsed = Math.floor(fraction * windowMs);
          const scaled = slidingCounterScaledUsage(previous, current, elapsed, windowMs);
          expect(slidingCounterScaledUsage(previous, current, 0, windowMs)).toBe(
            (previous + current) * windowMs,
          );
          expect(slidingCounterScaledUsage(previous, current, windowMs, windowMs)).toBe(
            current * windowMs,
          );
          expect(scaled / windowMs).toBeCloseTo(previous * (1 - elapsed / windowMs) + current, 6);
        },
      ),
    );
  });

  it('never admits more than the limit in a fixed window, so at most 2 × limit in any sliding window', () => {
    fc.assert(
      fc.property(params, requests, ({ limit, windowMs, start }, plan) => {
        const admits = drive(
          counterStep(limit, windowMs),
          start,
          plan.map((r) => ({ advanceMs: r.advanceMs, cost: costOf(r.share, limit) })),
        );
        const perWindow = new Map<number, number>();
        for (const a of admits) {
          const w = Math.floor(a.at / windowMs);
          perWindow.set(w, (perWindow.get(w) ?? 0) + a.units);
        }
        for (const units of perWindow.values()) expect(units).toBeLessThanOrEqual(limit);
        expect(maxInWindow(admits, windowMs)).toBeLessThanOrEqual(2 * limit);
      }),
    );
  });

  it('retry-after is exact: denied 1 ms earlier, admitted at it', () => {
    fc.assert(
      fc.property(params, requests, ({ limit, windowMs, start }, plan) => {
        let state: CounterState | undefined;
        let now = start;
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const cost = costOf(share, limit);
          const next = slidingCounterDecide(state, { limit, windowMs, cost, nowMs: now });
          if (!next.decision.allowed) {
            const at = (t: number) =>
              slidingCounterDecide(state, { limit, windowMs, cost, nowMs: t }).decision;
            expect(next.decision.retryAfterMs).toBeGreaterThan(0);
            expect(at(now + next.decision.retryAfterMs - 1).allowed).toBe(false);
            expect(at(now + next.decision.retryAfterMs).allowed).toBe(true);
          }
          state = next.state;
        }
      }),
    );
  });
});

describe('GCRA math', () => {
  const gcraParams = fc.record({
    limit: fc.integer({ min: 1, max: 50 }),
    windowMs: fc.integer({ min: 1, max: 5_000 }),
    burst: fc.integer({ min: 1, max: 20 }),
    start: fc.integer({ min: 0, max: 10_000_000 }),
  });

  it('admits at most burst + elapsed / interval units over any interval', () => {
    fc.assert(
      fc.property(gcraParams, requests, ({ limit, windowMs, burst, start }, plan) => {
        let tat: number | undefined;
        let now = start;
        const admits: { at: number; units: number }[] = [];
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const cost = costOf(share, burst);
          const next = gcraDecide(tat, { limit, windowMs, burst, cost, nowMs: now });
          tat = next.tatUs;
          if (next.decision.allowed) admits.push({ at: now, units: cost });
        }
        const interval = gcraIntervalUs(limit, windowMs);
        for (let i = 0; i < admits.length; i++) {
          let units = 0;
          for (let j = i; j < admits.length; j++) {
            units += (admits[j] as { units: number }).units;
            const spanUs =
              ((admits[j] as { at: number }).at - (admits[i] as { at: number }).at) * 1000;
            expect(units).toBeLessThanOrEqual(burst + Math.floor(spanUs / interval));
          }
        }
      }),
    );
  });

  it('remaining is exact: that many single units pass at once, one more does not', () => {
    fc.assert(
      fc.property(gcraParams, requests, ({ limit, windowMs, burst, start }, plan) => {
        let tat: number | undefined;
        let now = start;
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const next = gcraDecide(tat, {
            limit,
            windowMs,
            burst,
            cost: costOf(share, burst),
            nowMs: now,
          });
          tat = next.tatUs;
          let probe = tat;
          for (let i = 0; i < next.decision.remaining; i++) {
            const unit = gcraDecide(probe, { limit, windowMs, burst, cost: 1, nowMs: now });
            expect(unit.decision.allowed).toBe(true);
            probe = unit.tatUs;
          }
          expect(
            gcraDecide(probe, { limit, windowMs, burst, cost: 1, nowMs: now }).decision.allowed,
          ).toBe(false);
        }
      }),
    );
  });

  it('retry-after is exact to the ms: denied 1 ms earlier, admitted at it', () => {
    fc.assert(
      fc.property(gcraParams, requests, ({ limit, windowMs, burst, start }, plan) => {
        let tat: number | undefined;
        let now = start;
        for (const { advanceMs, share } of plan) {
          now += advanceMs;
          const cost = costOf(share, burst);
          const next = gcraDecide(tat, { limit, windowMs, burst, cost, nowMs: now });
          if (!next.decision.allowed) {
            const at = (t: number) =>
              gcraDecide(tat, { limit, windowMs, burst, cost, nowMs: t }).decision;
            expect(at(now + next.decision.retryAfterMs - 1).allowed).toBe(false);
            expect(at(now + next.decision.retryAfterMs).allowed).toBe(true);
          }
          tat = next.tatUs;
        }
      }),
    );
  });
});
