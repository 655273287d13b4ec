import fc from 'fast-check';
import { createTestRedis, type TestRedis } from '@suite/testing';
import { createLimiter } from './limiter';
import type { RateLimitPolicy } from './policy';
import {
  gcraDecide,
  slidingCounterDecide,
  slidingLogDecide,
  type CounterState,
  type LogEntry,
  type WindowDecision,
} from './window-math';

// The unit tests explore the TypeScript mirrors of the scripts' math with fast-check; this
// file checks that the scripts in Redis make the same decisions on random request
// sequences, so what the unit tests prove holds for the scripts.
const T0 = 1_700_000_000_000;
const LIMIT = 7;
const WINDOW_MS = 1_000;
const BURST = 4;

const steps = fc.array(
  fc.record({
    advanceMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2_500 })),
    cost: fc.integer({ min: 0, max: BURST }),
  }),
  { minLength: 1, maxLength: 25 },
);

const pick = ({ allowed, remaining, resetMs, retryAfterMs }: WindowDecision) => ({
  allowed,
  remaining,
  resetMs,
  retryAfterMs,
});

describe('Lua scripts and their TypeScript mirrors', () => {
  let redis: TestRedis;
  let run = 0;

  beforeAll(() => {
    redis = createTestRedis('aggregation mirrors');
  });
  afterAll(() => redis.cleanup());

  const agree = async (
    algorithm: RateLimitPolicy['algorithm'],
    mirror: () => (nowMs: number, cost: number) => WindowDecision,
  ) => {
    const limiter = createLimiter({
      redis: redis.client,
      policy: {
        name: `m-${algorithm}`,
        algorithm,
        limit: LIMIT,
        windowMs: WINDOW_MS,
        failure: 'closed',
        ...(algorithm === 'gcra' ? { burst: BURST } : {}),
      } as RateLimitPolicy,
      timeoutMs: 2_000,
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: WINDOW_MS - 1 }), steps, async (offset, plan) => {
        const key = `run-${++run}`;
        const model = mirror();
        let now = T0 + offset;
        for (const { advanceMs, cost } of plan) {
          now += advanceMs;
          const fromRedis = await limiter.check(key, { cost, nowMs: now });
          expect(fromRedis.source).toBe('redis');
          expect(pick(fromRedis)).toEqual(model(now, cost));
        }
      }),
      { numRuns: 60 },
    );
  };

  it('the sliding-window log script decides as slidingLogDecide', async () => {
    await agree('sliding-log', () => {
      let entries: LogEntry[] = [];
      return (nowMs, cost) => {
        const next = slidingLogDecide(entries, { limit: LIMIT, windowMs: WINDOW_MS, cost, nowMs });
        entries = next.entries;
        return next.decision;
      };
    });
  });

  it('the sliding-window counter script decides as slidingCounterDecide', async () => {
    await agree('sliding-counter', () => {
      let state: CounterState | undefined;
      return (nowMs, cost) => {
        const next = slidingCounterDecide(state, {
          limit: LIMIT,
          windowMs: WINDOW_MS,
          cost,
          nowMs,
        });
        state = next.state;
        return next.decision;
      };
    });
  });

  it('the GCRA script decides as gcraDecide', async () => {
    await agree('gcra', () => {
      let tat: number | undefined;
      return (nowMs, cost) => {
        const next = gcraDecide(tat, {
          limit: LIMIT,
          windowMs: WINDOW_MS,
          burst: BURST,
          cost,
          nowMs,
        });
        tat = next.tatUs;
        return next.decision;
      };
    });
  });
});
