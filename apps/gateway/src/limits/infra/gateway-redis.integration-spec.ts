import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@suite/coordination';
import { DisposableRedisCluster, integrationEndpoints } from '@suite/testing';
import { compileRateLimits, defaultRateLimitPolicyFile } from '../../config/rate-limits.config';
import { createGatewayRedis } from './gateway-redis';
import { GatewayRateLimiter } from './gateway-rate-limiter';

// Connected before the first request, not by it: ready with no command sent.
async function readyWithoutACommand(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') return;
  await Promise.race([
    once(redis, 'ready'),
    sleep(5_000).then(() => {
      throw new Error(`still ${redis.status} after 5 s with no command sent`);
    }),
  ]);
}

const limits = () => {
  const loaded = compileRateLimits(defaultRateLimitPolicyFile(), 'gateway', 'built-in defaults');
  if (!loaded.ok) throw new Error(loaded.issues.join('; '));
  return loaded.limits;
};

// A connection made by the first request can outlast the limiter's timeout (100 ms), and a
// policy that fails closed (start-crawl) then refuses that request: on the cluster profile,
// the first POST /crawls through a gateway replica was answered 429.
describe("the gateway's Redis", () => {
  it('connects-at-boot-before-the-first-request', async () => {
    const redis = createGatewayRedis({
      REDIS_URL: integrationEndpoints().redisUrl,
      REDIS_CLUSTER_NODES: undefined,
      REDIS_KEY_PREFIX: 'gateway-redis-spec:',
    });
    try {
      await readyWithoutACommand(redis);
    } finally {
      redis.disconnect();
    }
  });

  describe('on a Redis Cluster', () => {
    let cluster: DisposableRedisCluster;

    beforeAll(async () => {
      cluster = await DisposableRedisCluster.start();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('connects-at-boot-so-the-first-start-crawl-is-decided-by-redis-not-refused', async () => {
      const redis = createGatewayRedis({
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_CLUSTER_NODES: cluster.ports.map((port) => `127.0.0.1:${port}`),
        REDIS_KEY_PREFIX: 'gateway-redis-spec:',
      });
      try {
        await readyWithoutACommand(redis);
        const limiter = new GatewayRateLimiter({
          redis,
          limits: limits(),
          timeoutMs: 100,
          recheckMs: 500,
        });
        const outcome = await limiter.check({ route: 'POST /crawls', userId: 'operator' });
        expect(outcome.allowed).toBe(true);
        expect(outcome.checked.map((c) => [c.name, c.decision.source])).toEqual([
          ['gateway.start-crawl', 'redis'],
          ['gateway.per-user', 'redis'],
        ]);
      } finally {
        redis.disconnect();
      }
    });
  });
});
