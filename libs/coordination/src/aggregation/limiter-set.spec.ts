import { Cluster, type Redis } from 'ioredis';
import { FakeClock } from '../clock/fake-clock';
import { createLimiterSet } from './limiter-set';
import type { RateLimitPolicy } from './policy';

// A Redis stand-in recording each script call; `reply` answers it (or throws, or hangs).
function fakeRedis(reply: (keys: string[], args: unknown[]) => unknown) {
  const calls: Array<{ keys: string[]; args: unknown[] }> = [];
  const evalsha = (_sha: string, count: number, ...rest: unknown[]) => {
    const keys = rest.slice(0, count) as string[];
    const args = rest.slice(count);
    calls.push({ keys, args });
    try {
      return Promise.resolve(reply(keys, args));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  return { evalsha, calls };
}

const policy = (name: string, extra: Partial<RateLimitPolicy> = {}): RateLimitPolicy =>
  ({
    name,
    algorithm: 'sliding-log',
    limit: 10,
    windowMs: 1_000,
    failure: 'open',
    ...extra,
  }) as RateLimitPolicy;

const POLICIES = [
  policy('user', { fallback: { limit: 2 } }),
  policy('route', { algorithm: 'gcra', limit: 5, burst: 3, failure: 'closed' }),
];
const CHECKS = [
  { policy: 'route', key: 'r' },
  { policy: 'user', key: 'u' },
];

describe('limiter set', () => {
  it('asks Redis once for every policy and maps each policy its own decision', async () => {
    // Route refuses; user would have admitted and reports its state without the request.
    const redis = fakeRedis(() => [0, 42, 0, 2, 500, 300, 1, 9, 1_000, 0]);
    const set = createLimiterSet({ redis: redis as unknown as Redis, policies: POLICIES });
    const outcome = await set.check(CHECKS);
    expect(redis.calls).toHaveLength(1);
    expect(redis.calls[0]?.keys).toEqual(['rl:{route:r}:gcra', 'rl:{user:u}:log']);
    // Now from Redis TIME, then per policy: algorithm, limit, windowMs, capacity, cost.
    expect(redis.calls[0]?.args).toEqual([
      '',
      'gcra',
      5,
      1_000,
      3,
      1,
      'sliding-log',
      10,
      1_000,
      10,
      1,
    ]);
    expect(outcome).toEqual({
      allowed: false,
      mode: 'together',
      decisions: [
        {
          allowed: false,
          policy: 'route',
          limit: 5,
          remaining: 2,
          resetMs: 500,
          retryAfterMs: 300,
          source: 'redis',
          nowMs: 42,
        },
        {
          allowed: true,
          policy: 'user',
          limit: 10,
          remaining: 9,
          resetMs: 1_000,
          retryAfterMs: 0,
          source: 'redis',
          nowMs: 42,
        },
      ],
    });
  });

  it('lets each policy fail its own way when Redis fails, and skips Redis until the recheck', async () => {
    const clock = new FakeClock(1_000);
    const redis = fakeRedis(() => {
      throw new Error('connect ECONNREFUSED');
    });
    const set = createLimiterSet({
      redis: redis as unknown as Redis,
      policies: POLICIES,
      recheckMs: 500,
      clock,
    });
    // Closed denies first, so the open policy's fallback is not asked.
    const first = await set.check(CHECKS);
    expect(first).toMatchObject({ allowed: false, mode: 'in-turn' });
    expect(first.decisions).toEqual([
      expect.objectContaining({ policy: 'route', allowed: false, source: 'failure-policy' }),
    ]);
    // The open policy alone: its fallback admits 2 per window in this process.
    const userOnly = [{ policy: 'user', key: 'u' }];
    const fallback = [];
    for (let i = 0; i < 3; i++) fallback.push(await set.check(userOnly));
    expect(fallback.map((o) => o.allowed)).toEqual([true, true, false]);
    expect(fallback[0]?.decisions[0]).toMatchObject({ source: 'fallback', limit: 2 });
    expect(redis.calls).toHaveLength(1);
    clock.advance(500);
    await set.check(userOnly);
    expect(redis.calls).toHaveLength(2);
  });

  it('gives up on a Redis that does not answer within the timeout', async () => {
    const redis = { evalsha: () => new Promise(() => undefined) };
    const set = createLimiterSet({
      redis: redis as unknown as Redis,
      policies: [policy('user')],
      timeoutMs: 20,
    });
    const outcome = await set.check([{ policy: 'user', key: 'u' }]);
    expect(outcome).toMatchObject({ allowed: true, mode: 'in-turn' });
    expect(outcome.decisions[0]?.source).toBe('failure-policy');
  });

  it('asks in turn, stopping at the first refusal, with the naive fixed window', async () => {
    const redis = fakeRedis((keys) =>
      keys[0]?.startsWith('rl:{fw:') ? [0, 0, 10, 10, 1] : [1, 9, 1_000, 0, 1],
    );
    const set = createLimiterSet({
      redis: redis as unknown as Redis,
      policies: [policy('fw', { algorithm: 'fixed-window' }), policy('user')],
    });
    const outcome = await set.check([
      { policy: 'fw', key: 'k' },
      { policy: 'user', key: 'u' },
    ]);
    expect(outcome).toMatchObject({ allowed: false, mode: 'in-turn' });
    expect(redis.calls).toHaveLength(1);
  });

  it('asks in turn on a Redis Cluster, where the policies keys are in different slots', async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const redis = fakeRedis(() => [1, 9, 1_000, 0, 1]);
    Object.assign(cluster, { evalsha: redis.evalsha });
    const set = createLimiterSet({ redis: cluster, policies: POLICIES });
    const outcome = await set.check(CHECKS);
    expect(outcome).toMatchObject({ allowed: true, mode: 'in-turn' });
    expect(redis.calls.map((c) => c.keys)).toEqual([['rl:{route:r}:gcra'], ['rl:{user:u}:log']]);
    // One policy is one key: one script either way.
    expect((await set.check([{ policy: 'user', key: 'u' }])).mode).toBe('together');
    cluster.disconnect();
  });

  it('refuses as caller bugs: an unknown policy, one key asked twice, a cost no limit admits', async () => {
    const redis = fakeRedis(() => [1, 0, 0, 0, 0]);
    const set = createLimiterSet({ redis: redis as unknown as Redis, policies: POLICIES });
    await expect(set.check([{ policy: 'nope', key: 'k' }])).rejects.toThrow(RangeError);
    await expect(
      set.check([
        { policy: 'user', key: 'k' },
        { policy: 'user', key: 'k' },
      ]),
    ).rejects.toThrow(/asked twice/);
    await expect(set.check([{ policy: 'route', key: 'k', cost: 4 }])).rejects.toThrow(
      /cost must be an integer from 0 to 3/,
    );
    expect(() =>
      createLimiterSet({ redis: redis as unknown as Redis, policies: [policy('a'), policy('a')] }),
    ).toThrow(/two policies are named a/);
    expect(redis.calls).toHaveLength(0);
    expect(await set.check([])).toEqual({ allowed: true, decisions: [], mode: 'together' });
  });
});
