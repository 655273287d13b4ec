import { createTestRedis, type TestRedis } from '@suite/testing';
import { createLimiter, type Limiter } from './limiter';
import type { RateLimitPolicy } from './policy';

// Window-aligned start, so fixed-window boundaries fall on round numbers.
const T0 = 1_700_000_000_000;

describe('rate-limit algorithms on the real Redis', () => {
  let redis: TestRedis;
  let keySeq = 0;
  const freshKey = () => `client-${++keySeq}`;
  const limiter = (policy: Omit<RateLimitPolicy, 'failure'>): Limiter =>
    createLimiter({
      redis: redis.client,
      policy: { failure: 'closed', ...policy } as RateLimitPolicy,
      timeoutMs: 2_000,
    });

  beforeAll(() => {
    redis = createTestRedis('aggregation algorithms');
  });
  afterAll(() => redis.cleanup());

  describe('sliding-window log', () => {
    const policy = { name: 'log', algorithm: 'sliding-log', limit: 5, windowMs: 1_000 } as const;

    it('charges the cost in units and reports remaining, reset and retry-after', async () => {
      const log = limiter(policy);
      const key = freshKey();
      expect(await log.check(key, { cost: 3, nowMs: T0 })).toMatchObject({
        allowed: true,
        remaining: 2,
        resetMs: 1_000,
        retryAfterMs: 0,
        source: 'redis',
        nowMs: T0,
      });
      // 3 + 3 > 5: denied until the units admitted at T0 leave, at T0 + 1000.
      expect(await log.check(key, { cost: 3, nowMs: T0 + 100 })).toMatchObject({
        allowed: false,
        remaining: 2,
        resetMs: 900,
        retryAfterMs: 900,
      });
      expect(await log.check(key, { cost: 2, nowMs: T0 + 100 })).toMatchObject({
        allowed: true,
        remaining: 0,
        resetMs: 1_000,
      });
    });

    it('frees units exactly one window after they were admitted', async () => {
      const log = limiter(policy);
      const key = freshKey();
      await log.check(key, { cost: 3, nowMs: T0 });
      await log.check(key, { cost: 2, nowMs: T0 + 100 });
      expect(await log.check(key, { nowMs: T0 + 999 })).toMatchObject({
        allowed: false,
        retryAfterMs: 1,
      });
      expect(await log.check(key, { nowMs: T0 + 1_000 })).toMatchObject({
        allowed: true,
        remaining: 2,
      });
      // A cost of 0 reads without spending.
      expect(await log.check(key, { cost: 0, nowMs: T0 + 1_100 })).toMatchObject({
        allowed: true,
        remaining: 4,
        resetMs: 900,
      });
    });

    it('uses the Redis clock when no time is given', async () => {
      const decision = await limiter(policy).check(freshKey());
      expect(decision.allowed).toBe(true);
      expect(Math.abs(decision.nowMs - Date.now())).toBeLessThan(5_000);
    });

    it('keeps one hash-tagged key per client and expires it with the last unit', async () => {
      const key = freshKey();
      await limiter(policy).check(key, { nowMs: Date.now() });
      const keys = await redis.client.keys(`${redis.prefix}rl:{log:${key}}:*`);
      expect(keys.map((k) => k.slice(redis.prefix.length))).toEqual([`rl:{log:${key}}:log`]);
      const ttl = await redis.client.pttl(`rl:{log:${key}}:log`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000 + 5_000);
    });
  });

  describe('sliding-window counter', () => {
    const policy = {
      name: 'counter',
      algorithm: 'sliding-counter',
      limit: 10,
      windowMs: 1_000,
    } as const;

    it('weights the previous window by the share of it still inside the sliding window', async () => {
      const counter = limiter(policy);
      const key = freshKey();
      expect(await counter.check(key, { cost: 10, nowMs: T0 })).toMatchObject({
        allowed: true,
        remaining: 0,
        resetMs: 2_000,
      });
      // The current window is full: only the next one can fit a unit, once the 10 units of
      // the previous window weigh 9 or less (after 10% of it has passed).
      expect(await counter.check(key, { nowMs: T0 + 10 })).toMatchObject({
        allowed: false,
        retryAfterMs: 1_090,
      });
      expect((await counter.check(key, { nowMs: T0 + 1_099 })).allowed).toBe(false);
      expect(await counter.check(key, { nowMs: T0 + 1_100 })).toMatchObject({
        allowed: true,
        remaining: 0,
      });
      // Halfway through: 10 × 0.5 + 1 = 6 units used.
      expect(await counter.check(key, { cost: 0, nowMs: T0 + 1_500 })).toMatchObject({
        allowed: true,
        remaining: 4,
        resetMs: 1_500,
      });
    });

    it('charges the cost and computes retry-after within the current window', async () => {
      const counter = limiter(policy);
      const key = freshKey();
      await counter.check(key, { cost: 8, nowMs: T0 + 900 });
      // At T0 + 1200: 8 × 0.8 = 6.4 used; a cost of 4 fits once 8 × (1 - e) ≤ 6, e ≥ 250.
      expect(await counter.check(key, { cost: 4, nowMs: T0 + 1_200 })).toMatchObject({
        allowed: false,
        remaining: 3,
        retryAfterMs: 50,
      });
      expect(await counter.check(key, { cost: 4, nowMs: T0 + 1_250 })).toMatchObject({
        allowed: true,
        remaining: 0,
      });
    });
  });

  describe('GCRA', () => {
    const policy = {
      name: 'gcra',
      algorithm: 'gcra',
      limit: 10,
      windowMs: 1_000,
      burst: 5,
    } as const;

    it('spends a burst at once, then refills one unit per interval', async () => {
      const gcra = limiter(policy);
      const key = freshKey();
      expect(await gcra.check(key, { cost: 5, nowMs: T0 })).toMatchObject({
        allowed: true,
        remaining: 0,
        resetMs: 500,
      });
      expect(await gcra.check(key, { nowMs: T0 })).toMatchObject({
        allowed: false,
        remaining: 0,
        resetMs: 500,
        retryAfterMs: 100,
      });
      expect((await gcra.check(key, { nowMs: T0 + 99 })).allowed).toBe(false);
      expect(await gcra.check(key, { nowMs: T0 + 100 })).toMatchObject({
        allowed: true,
        remaining: 0,
      });
      expect(await gcra.check(key, { cost: 0, nowMs: T0 + 1_000 })).toMatchObject({
        allowed: true,
        remaining: 5,
        resetMs: 0,
      });
    });

    it('charges the cost as that many intervals', async () => {
      const gcra = limiter(policy);
      const key = freshKey();
      expect(await gcra.check(key, { cost: 2, nowMs: T0 })).toMatchObject({
        allowed: true,
        remaining: 3,
        resetMs: 200,
      });
      expect(await gcra.check(key, { cost: 4, nowMs: T0 + 50 })).toMatchObject({
        allowed: false,
        retryAfterMs: 50,
      });
    });
  });

  describe('boundary burst', () => {
    it('lets the naive fixed window admit twice the limit across a window boundary', async () => {
      const fixed = limiter({
        name: 'fixed',
        algorithm: 'fixed-window',
        limit: 3,
        windowMs: 1_000,
      });
      const key = freshKey();
      const before = await Promise.all(
        [1, 2, 3, 4].map(() => fixed.check(key, { nowMs: T0 + 999 })),
      );
      expect(before.map((d) => d.allowed)).toEqual(
        expect.arrayContaining([true, true, true, false]),
      );
      expect(before.find((d) => !d.allowed)).toMatchObject({ retryAfterMs: 1, remaining: 0 });
      const after = await Promise.all([1, 2, 3].map(() => fixed.check(key, { nowMs: T0 + 1_000 })));
      const admitted = [...before, ...after].filter((d) => d.allowed).length;
      expect(admitted).toBe(6);
    });

    it('lets the sliding-window log admit only the limit across the same boundary', async () => {
      const log = limiter({ name: 'edge', algorithm: 'sliding-log', limit: 3, windowMs: 1_000 });
      const key = freshKey();
      const before = await Promise.all([1, 2, 3, 4].map(() => log.check(key, { nowMs: T0 + 999 })));
      const after = await Promise.all([1, 2, 3].map(() => log.check(key, { nowMs: T0 + 1_000 })));
      expect([...before, ...after].filter((d) => d.allowed)).toHaveLength(3);
      expect(after.every((d) => d.retryAfterMs === 999)).toBe(true);
    });
  });
});
