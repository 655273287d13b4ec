import Redis from 'ioredis';
import { createTestRedis, FaultProxy, integrationEndpoints, type TestRedis } from '@suite/testing';
import { createLimiter, type Limiter, type RateLimitDecision } from './limiter';
import type { RateLimitPolicy } from './policy';

// Redis is reached through toxiproxy so a test can cut it, hang it, and bring it back.
const TIMEOUT_MS = 100;
const RECHECK_MS = 200;

describe('rate limiting while Redis is unreachable', () => {
  let redis: TestRedis;
  let proxy: FaultProxy;
  let viaProxy: Redis;
  let keySeq = 0;

  const limiter = (policy: Omit<RateLimitPolicy, 'name' | 'algorithm' | 'windowMs'>): Limiter =>
    createLimiter({
      redis: viaProxy,
      policy: {
        name: `outage-${++keySeq}`,
        algorithm: 'sliding-log',
        windowMs: 60_000,
        ...policy,
      } as RateLimitPolicy,
      timeoutMs: TIMEOUT_MS,
      recheckMs: RECHECK_MS,
    });

  // Bounded in tries and in time: keep asking until Redis decides again.
  const untilRedisDecides = async (check: () => Promise<RateLimitDecision>) => {
    const deadline = Date.now() + 10_000;
    for (let i = 0; i < 200 && Date.now() < deadline; i++) {
      const decision = await check();
      if (decision.source === 'redis') return decision;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('Redis did not take decisions back within 10 s of the restore');
  };

  beforeAll(async () => {
    redis = createTestRedis('aggregation outage');
    const upstream = new URL(integrationEndpoints().redisUrl);
    proxy = await FaultProxy.create('aggregation-redis', `${upstream.hostname}:${upstream.port}`);
    viaProxy = new Redis({ host: proxy.host, port: proxy.port, keyPrefix: redis.prefix });
  });

  afterEach(async () => {
    await proxy.clear();
    await proxy.restore();
  });

  afterAll(async () => {
    viaProxy.disconnect();
    await proxy.remove();
    await redis.cleanup();
  });

  it('fails open onto the in-process fallback limit while Redis is cut, and returns to Redis after restore', async () => {
    const open = limiter({ limit: 100, failure: 'open', fallback: { limit: 3 } });
    expect((await open.check('user')).source).toBe('redis');

    await proxy.cut();
    const during: RateLimitDecision[] = [];
    for (let i = 0; i < 5; i++) during.push(await open.check('user'));
    expect(during.map((d) => d.source)).toEqual(Array(5).fill('fallback'));
    // The fallback enforces its own, smaller limit, per process.
    expect(during.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(during[3]).toMatchObject({ limit: 3, remaining: 0 });
    expect(during[3]?.retryAfterMs).toBeGreaterThan(0);

    await proxy.restore();
    const back = await untilRedisDecides(() => open.check('user'));
    expect(back.allowed).toBe(true);
    expect(back.limit).toBe(100);
  });

  it('fails closed while Redis is cut, denying with a retry-after, and returns to Redis after restore', async () => {
    const closed = limiter({ limit: 100, failure: 'closed' });
    await proxy.cut();
    const started = Date.now();
    const denied = await closed.check('user');
    expect(denied).toMatchObject({ allowed: false, source: 'failure-policy', remaining: 0 });
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(RECHECK_MS);
    // Later requests in the recheck interval do not wait on Redis at all.
    const next = await closed.check('user');
    expect(next).toMatchObject({ allowed: false, source: 'failure-policy' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);

    await proxy.restore();
    expect(await untilRedisDecides(() => closed.check('user'))).toMatchObject({ allowed: true });
  });

  it('answers within the command timeout when Redis hangs instead of refusing', async () => {
    const open = limiter({ limit: 100, failure: 'open' });
    expect((await open.check('user')).source).toBe('redis');
    await proxy.timeout(0);
    const started = Date.now();
    const decision = await open.check('user');
    const tookMs = Date.now() - started;
    // Fail open with no fallback: admitted, and said so.
    expect(decision).toMatchObject({ allowed: true, source: 'failure-policy' });
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(tookMs).toBeLessThan(TIMEOUT_MS + 1_000);

    await proxy.clear();
    // The stalled connection may need a reconnect before Redis answers again.
    viaProxy.disconnect(true);
    expect((await untilRedisDecides(() => open.check('user'))).source).toBe('redis');
  });

  it('serves Redis decisions through 150 ms of latency when the timeout allows it', async () => {
    const patient = createLimiter({
      redis: viaProxy,
      policy: {
        name: 'outage-patient',
        algorithm: 'gcra',
        limit: 10,
        windowMs: 1_000,
        failure: 'closed',
      },
      timeoutMs: 2_000,
    });
    await proxy.latency(150);
    const started = Date.now();
    expect(await patient.check('user')).toMatchObject({ allowed: true, source: 'redis' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
