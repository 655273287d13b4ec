import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { createTestRedis, type TestRedis } from '@suite/testing';
import { createLimiter, limiterKeyBase, type Limiter } from './limiter';
import type { RateLimitAlgorithm, RateLimitPolicy } from './policy';

// peek() reads with its own script (peek.lua). These tests hold it to the decision scripts:
// what it reports is what a check would find, and reading never changes what a check sees.
const T0 = 1_700_000_000_000;
const LIMIT = 7;
const WINDOW_MS = 1_000;
const BURST = 4;
const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'sliding-log',
  'sliding-counter',
  'gcra',
  'fixed-window',
];
const capacityOf = (algorithm: RateLimitAlgorithm) => (algorithm === 'gcra' ? BURST : LIMIT);

describe('peek agrees with check and changes nothing', () => {
  let redis: TestRedis;
  let raw: Redis;
  let run = 0;
  const freshKey = () => `client-${++run}`;

  beforeAll(() => {
    redis = createTestRedis('aggregation peek');
    // Unprefixed, to list and dump the limiters' keys by their full names.
    raw = redis.connect({ keyPrefix: '' });
  });
  afterAll(() => redis.cleanup());

  const limiterFor = (algorithm: RateLimitAlgorithm, windowMs = WINDOW_MS): Limiter =>
    createLimiter({
      redis: redis.client,
      policy: {
        name: `p-${algorithm}`,
        algorithm,
        limit: LIMIT,
        windowMs,
        failure: 'closed',
        ...(algorithm === 'gcra' ? { burst: BURST } : {}),
      } as RateLimitPolicy,
      timeoutMs: 2_000,
    });

  // Every key the limiter keeps for this client, with its value and absolute expiry.
  const stateOf = async (limiter: Limiter, key: string) => {
    const pattern = `${redis.prefix}${limiterKeyBase(limiter.policy.name, key)}*`;
    // SCAN visits the whole keyspace in pages whatever MATCH says: follow the cursor to the
    // end, or keys past the first page (a Redis shared with other tests) are missed.
    const names: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await raw.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
      names.push(...page);
      cursor = next;
    } while (cursor !== '0');
    names.sort();
    return Promise.all(
      names.map(async (name) => ({
        suffix: name.slice(pattern.length - 1),
        value: (await raw.dumpBuffer(name))?.toString('hex'),
        expiresAt: await raw.call('PEXPIRETIME', name),
      })),
    );
  };

  it.each(ALGORITHMS)('%s: after N admits peek says N used', async (algorithm) => {
    const limiter = limiterFor(algorithm);
    const key = freshKey();
    expect(await limiter.peek(key, { nowMs: T0 })).toEqual({
      policy: `p-${algorithm}`,
      limit: LIMIT,
      used: 0,
      remaining: capacityOf(algorithm),
      resetMs: 0,
      nowMs: T0,
    });
    for (let n = 1; n <= capacityOf(algorithm); n++) {
      const decision = await limiter.check(key, { nowMs: T0 + 10 });
      expect(decision).toMatchObject({ allowed: true, source: 'redis' });
      const usage = await limiter.peek(key, { nowMs: T0 + 10 });
      expect(usage).toMatchObject({ used: n, remaining: capacityOf(algorithm) - n });
      // The same numbers the decision reported.
      expect(usage.remaining).toBe(decision.remaining);
      expect(usage.resetMs).toBe(decision.resetMs);
    }
  });

  it.each(ALGORITHMS)(
    '%s: peek on Redis TIME sees the admits made on Redis TIME',
    async (algorithm) => {
      // A minute's window, so the window cannot end between the admits and the read.
      const limiter = limiterFor(algorithm, 60_000);
      const key = freshKey();
      expect((await limiter.check(key, { cost: 2 })).allowed).toBe(true);
      expect((await limiter.check(key, { cost: 1 })).allowed).toBe(true);
      const usage = await limiter.peek(key);
      expect(usage).toMatchObject({ used: 3, remaining: capacityOf(algorithm) - 3 });
      const redisNow = Number((await raw.time())[0]) * 1000;
      expect(Math.abs(usage.nowMs - redisNow)).toBeLessThan(2_000);
    },
  );

  // Across random histories, at every step: a check of cost c is admitted exactly when
  // c <= peek().remaining. Twin keys get the same history; one of them is also peeked and
  // probed with remaining + 1 (a denial, which writes nothing), and both must then decide
  // the planned request alike.
  it.each(ALGORITHMS.filter((a) => a !== 'fixed-window'))(
    '%s: check admits exactly the cost that peek says remains, across windows',
    async (algorithm) => {
      const limiter = limiterFor(algorithm);
      const capacity = capacityOf(algorithm);
      const plan = fc.array(
        fc.record({
          advanceMs: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2_500 })),
          cost: fc.integer({ min: 0, max: capacity }),
        }),
        { minLength: 1, maxLength: 20 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: WINDOW_MS - 1 }),
          plan,
          async (offset, steps) => {
            const peeked = freshKey();
            const twin = freshKey();
            let now = T0 + offset;
            for (const { advanceMs, cost } of steps) {
              now += advanceMs;
              const { remaining } = await limiter.peek(peeked, { nowMs: now });
              if (remaining < capacity) {
                const probe = await limiter.check(twin, { cost: remaining + 1, nowMs: now });
                expect(probe.allowed).toBe(false);
              }
              const a = await limiter.check(peeked, { cost, nowMs: now });
              const b = await limiter.check(twin, { cost, nowMs: now });
              expect(a.allowed).toBe(cost <= remaining);
              expect(a).toEqual(b);
            }
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  // The fixed window counts denied requests too, so a probe would spend: only the planned
  // request is checked, against what peek said just before. Its count can pass the limit,
  // where even a cost of 0 is denied and peek says 0 remain: costs start at 1 here.
  it('fixed-window: check admits exactly the cost that peek says remains, across windows', async () => {
    const limiter = limiterFor('fixed-window');
    const plan = fc.array(
      fc.record({
        advanceMs: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2_500 })),
        cost: fc.integer({ min: 1, max: LIMIT }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: WINDOW_MS - 1 }), plan, async (offset, steps) => {
        const key = freshKey();
        let now = T0 + offset;
        for (const { advanceMs, cost } of steps) {
          now += advanceMs;
          const { remaining } = await limiter.peek(key, { nowMs: now });
          expect((await limiter.check(key, { cost, nowMs: now })).allowed).toBe(cost <= remaining);
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each(ALGORITHMS)(
    '%s: many peeks leave the state, its expiry and the next decision unchanged',
    async (algorithm) => {
      // Expiries run on Redis' real clock while the times below are made up: a window of a
      // minute keeps every key alive however slowly this machine runs the peeks.
      const W = 60_000;
      const limiter = limiterFor(algorithm, W);
      const peeked = freshKey();
      const twin = freshKey();
      // The same history on both: admits in one window, more in the next.
      for (const key of [peeked, twin]) {
        await limiter.check(key, { cost: 2, nowMs: T0 + W / 10 });
        await limiter.check(key, { cost: 1, nowMs: T0 + (9 * W) / 10 });
        await limiter.check(key, { cost: 1, nowMs: T0 + W + W / 5 });
      }
      const before = await stateOf(limiter, peeked);
      expect(before.length).toBeGreaterThan(0);
      // Expiries are set from the real clock, so the twins' differ by the ms between them.
      const values = (state: typeof before) => state.map(({ suffix, value }) => [suffix, value]);
      expect(values(before)).toEqual(values(await stateOf(limiter, twin)));
      // Reads from now on, including times at which a decision would prune old units or
      // roll the window over.
      for (let at = T0 + W + W / 5; at <= T0 + 3 * W; at += Math.floor(W / 27)) {
        await limiter.peek(peeked, { nowMs: at });
      }
      expect(await stateOf(limiter, peeked)).toEqual(before);
      for (const at of [T0 + W + (3 * W) / 10, T0 + 2 * W + W / 10]) {
        const next = await limiter.check(peeked, { cost: 2, nowMs: at });
        expect(next).toEqual(await limiter.check(twin, { cost: 2, nowMs: at }));
      }
    },
  );

  it('refuses a bad key or time as a caller bug, and rejects when Redis cannot answer', async () => {
    const limiter = limiterFor('sliding-log');
    await expect(limiter.peek('')).rejects.toThrow(RangeError);
    await expect(limiter.peek('k', { nowMs: 1.5 })).rejects.toThrow(RangeError);
    const closed = redis.connect({ lazyConnect: true, enableOfflineQueue: false });
    const offline = createLimiter({
      redis: closed,
      policy: limiterFor('sliding-log').policy,
      timeoutMs: 200,
    });
    await expect(offline.peek('k')).rejects.toThrow();
  });
});
