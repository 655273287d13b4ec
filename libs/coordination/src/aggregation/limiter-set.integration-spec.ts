import fc from 'fast-check';
import { createTestRedis, type TestRedis } from '@suite/testing';
import { createLimiter, type Limiter, type RateLimitDecision } from './limiter';
import { createLimiterSet } from './limiter-set';
import type { RateLimitPolicy } from './policy';

// The set against real Redis: each policy decides as its own limiter would, a refusal by any
// policy spends nothing in any of them, and the set counts in the single limiters' windows.
const T0 = 1_700_000_000_000;
const WINDOW_MS = 1_000;

const POLICIES: readonly RateLimitPolicy[] = [
  { name: 'set-log', algorithm: 'sliding-log', limit: 7, windowMs: WINDOW_MS, failure: 'closed' },
  {
    name: 'set-counter',
    algorithm: 'sliding-counter',
    limit: 5,
    windowMs: WINDOW_MS,
    failure: 'closed',
  },
  {
    name: 'set-gcra',
    algorithm: 'gcra',
    limit: 7,
    burst: 4,
    windowMs: WINDOW_MS,
    failure: 'closed',
  },
];

const pick = ({ allowed, remaining, resetMs, retryAfterMs, nowMs }: RateLimitDecision) => ({
  allowed,
  remaining,
  resetMs,
  retryAfterMs,
  nowMs,
});

const slidingLog = (name: string, limit: number): RateLimitPolicy => ({
  name,
  algorithm: 'sliding-log',
  limit,
  windowMs: 60_000,
  failure: 'closed',
});

describe('limiter set', () => {
  let redis: TestRedis;
  let run = 0;

  beforeAll(() => {
    redis = createTestRedis('aggregation limiter set');
  });
  afterAll(() => redis.cleanup());

  it('decides each policy as its own limiter would, and spends only when every one admits', async () => {
    const set = createLimiterSet({ redis: redis.client, policies: POLICIES, timeoutMs: 2_000 });
    const singles: Limiter[] = POLICIES.map((policy) =>
      createLimiter({ redis: redis.client, policy, timeoutMs: 2_000 }),
    );
    const steps = fc.array(
      fc.record({
        advanceMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2_500 })),
        // Each policy's cost, up to the GCRA's burst.
        costs: fc.tuple(
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 0, max: 4 }),
        ),
      }),
      { minLength: 1, maxLength: 25 },
    );
    let together = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: WINDOW_MS - 1 }), steps, async (offset, plan) => {
        // The set counts one client, the single limiters another under the same policies.
        const setKey = `set-${++run}`;
        const mirrorKey = `mirror-${run}`;
        let now = T0 + offset;
        for (const { advanceMs, costs } of plan) {
          now += advanceMs;
          const outcome = await set.check(
            POLICIES.map((policy, i) => ({ policy: policy.name, key: setKey, cost: costs[i] })),
            { nowMs: now },
          );
          expect(outcome.mode).toBe('together');
          expect(outcome.allowed).toBe(outcome.decisions.every((d) => d.allowed));
          together++;
          if (!outcome.allowed) refused++;
          for (const [i, single] of singles.entries()) {
            const decision = outcome.decisions[i] as RateLimitDecision;
            const cost = costs[i] as number;
            expect(decision).toMatchObject({ policy: single.policy.name, source: 'redis' });
            if (outcome.allowed || !decision.allowed) {
              // Admitted by all: each spent as its own limiter does. Refused by this one: its
              // own refusal, which spends nothing.
              expect(pick(decision)).toEqual(
                pick(await single.check(mirrorKey, { cost, nowMs: now })),
              );
            } else {
              // Admitted here but refused by another: this policy would have admitted the
              // cost, and reports its state without it.
              expect(
                (await single.peek(mirrorKey, { nowMs: now })).remaining,
              ).toBeGreaterThanOrEqual(cost);
              expect(pick(decision)).toEqual(
                pick(await single.check(mirrorKey, { cost: 0, nowMs: now })),
              );
            }
          }
        }
      }),
      { numRuns: 60 },
    );
    // The runs reached both branches.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(together);
  });

  it('a request refused by the tight policy spends nothing in the loose one, and the reverse', async () => {
    const set = createLimiterSet({
      redis: redis.client,
      policies: [slidingLog('tight', 2), slidingLog('loose', 5)],
    });
    const loose = createLimiter({ redis: redis.client, policy: slidingLog('loose', 5) });
    const both = (tightKey: string) => [
      { policy: 'tight', key: tightKey },
      { policy: 'loose', key: 'user-1' },
    ];
    const admitted = [];
    for (let i = 0; i < 6; i++) admitted.push((await set.check(both('route-a'))).allowed);
    expect(admitted).toEqual([true, true, false, false, false, false]);
    expect((await loose.peek('user-1')).used).toBe(2);

    // The loose policy spent on other routes: a fresh tight key is refused by it, unspent.
    expect((await set.check(both('route-b'))).allowed).toBe(true);
    expect((await set.check(both('route-c'))).allowed).toBe(true);
    expect((await set.check(both('route-d'))).allowed).toBe(true);
    const refused = await set.check(both('route-e'));
    expect(refused.allowed).toBe(false);
    expect(refused.decisions.map((d) => d.allowed)).toEqual([true, false]);
    // Nothing spent under route-e: it still has its whole limit.
    expect(refused.decisions[0]).toMatchObject({ policy: 'tight', remaining: 2 });
    const tight = createLimiter({ redis: redis.client, policy: slidingLog('tight', 2) });
    expect((await tight.peek('route-e')).used).toBe(0);
  });

  it('counts in the windows of single limiters of the same policies, both ways', async () => {
    const policy = slidingLog('shared', 4);
    const set = createLimiterSet({
      redis: redis.client,
      policies: [policy, slidingLog('other', 9)],
    });
    // Another connection, as another process would have.
    const single = createLimiter({ redis: redis.connect(), policy });
    const check = () =>
      set.check([
        { policy: 'shared', key: 'client' },
        { policy: 'other', key: 'client' },
      ]);
    expect((await check()).decisions[0]).toMatchObject({ allowed: true, remaining: 3 });
    expect(await single.check('client')).toMatchObject({ allowed: true, remaining: 2 });
    expect((await check()).decisions[0]).toMatchObject({ allowed: true, remaining: 1 });
    expect(await single.check('client')).toMatchObject({ allowed: true, remaining: 0 });
    const full = await check();
    expect(full.allowed).toBe(false);
    expect(full.decisions[0]).toMatchObject({ allowed: false, remaining: 0 });
    expect(full.decisions[0]?.retryAfterMs).toBeGreaterThan(0);
  });

  it('admits exactly the tightest limit under concurrent checks from four connections', async () => {
    const policies = [slidingLog('race-user', 25), slidingLog('race-route', 10)];
    const sets = Array.from({ length: 4 }, () =>
      createLimiterSet({ redis: redis.connect(), policies, timeoutMs: 5_000 }),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        (sets[i % sets.length] ?? sets[0])?.check([
          { policy: 'race-route', key: 'seat-route' },
          { policy: 'race-user', key: 'racer' },
        ]),
      ),
    );
    expect(outcomes.filter((o) => o?.allowed)).toHaveLength(10);
    // All or nothing: the looser policy spent exactly what was admitted.
    const user = createLimiter({ redis: redis.client, policy: slidingLog('race-user', 25) });
    expect((await user.peek('racer')).used).toBe(10);
  });
});
