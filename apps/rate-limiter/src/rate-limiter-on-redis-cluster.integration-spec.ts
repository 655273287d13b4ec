import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { descriptorKey, type RateLimitPolicyFile } from '@suite/contracts';
import { limiterKeyBase } from '@suite/coordination';
import { DisposableRedisCluster } from '@suite/testing';
import { RateLimiterTestApps } from './testing/rate-limiter-test-apps';

const PREFIX = 'rl-cluster:';
const file: RateLimitPolicyFile = {
  domains: [
    {
      domain: 'api',
      policies: [
        {
          name: 'per-user',
          match: { user: '*' },
          algorithm: 'sliding-log',
          limit: 2,
          windowMs: 60_000,
          failure: 'closed',
        },
      ],
    },
  ],
};

// The service as deployed with the compose "cluster" profile: REDIS_CLUSTER_NODES set, every
// decision through ioredis' Cluster client, readiness that follows the cluster.
describe('rate-limiter on a Redis Cluster', () => {
  let cluster: DisposableRedisCluster;
  let apps: RateLimiterTestApps;
  let app: NestFastifyApplication;
  let operator: { authorization: string };

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start();
    apps = new RateLimiterTestApps({
      // Only its scheme and credentials count once seeds are given.
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      REDIS_KEY_PREFIX: PREFIX,
      // Generous: the first decision also loads the cluster's slot map.
      REDIS_TIMEOUT_MS: '5000',
    });
    apps.writePolicies(file);
    expect(apps.config().REDIS_CLUSTER_NODES).toEqual(cluster.nodes);
    app = await apps.boot();
    operator = await apps.tokens.operator();
  });
  afterAll(async () => {
    await apps?.close();
    await cluster?.stop();
  });

  const check = (user: string) =>
    app.inject({
      method: 'POST',
      url: '/check',
      headers: operator,
      payload: { domain: 'api', descriptors: [{ user }] },
    });
  const ready = () => app.inject({ method: 'GET', url: '/health/ready' });

  it('decides from the shared count for users whose counters sit on every primary', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    const masters = await Promise.all(
      users.map((user) =>
        cluster.masterPortOf(
          `${PREFIX}${limiterKeyBase('api.per-user', descriptorKey({ user }))}:log`,
        ),
      ),
    );
    expect(new Set(masters)).toEqual(new Set(cluster.ports));
    for (const user of users) {
      for (const expected of [200, 200, 429]) {
        const answer = await check(user);
        expect(answer.statusCode).toBe(expected);
        expect(answer.json()).toMatchObject({ source: 'redis' });
      }
    }
    // The counters are where their slots say, one per user.
    const counts = await cluster.keyCounts();
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(users.length);
    for (const port of cluster.ports) expect(counts.get(port)).toBeGreaterThan(0);
  });

  it('reports ready while the cluster serves, and not ready once it is stopped', async () => {
    const up = await ready();
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });

    await cluster.stop();
    const deadline = Date.now() + 30_000;
    let answer = await ready();
    while (answer.statusCode === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await ready();
    }
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({ status: 'not_ready', checks: { redis: 'down' } });
  });
});
