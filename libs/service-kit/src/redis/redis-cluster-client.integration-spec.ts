import {
  DisposableRedis,
  DisposableRedisCluster,
  integrationEndpoints,
  uniqueName,
} from '@suite/testing';
import Redis, { Cluster } from 'ioredis';
import { createRedisClient, redisReadinessCheck } from './create-redis-client';

// The services' Redis client and its readiness check, against the stack's single Redis and a
// real 3-primary Redis Cluster.
describe('createRedisClient and redisReadinessCheck', () => {
  let cluster: DisposableRedisCluster;
  const clients: { disconnect(): void }[] = [];
  const track = <T extends { disconnect(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start();
  });
  afterAll(async () => {
    clients.forEach((client) => client.disconnect());
    await cluster?.stop();
  });

  it('without seed nodes is the single-server client, prefix and all', async () => {
    const { redisUrl } = integrationEndpoints();
    const prefix = `${uniqueName('redis client')}:`;
    const client = track(createRedisClient({ url: redisUrl, keyPrefix: prefix }));
    expect(client).toBeInstanceOf(Redis);
    expect(client).not.toBeInstanceOf(Cluster);
    await client.set('k', 'v', 'PX', 60_000);
    const raw = track(new Redis(redisUrl));
    expect(await raw.get(`${prefix}k`)).toBe('v');
    await raw.del(`${prefix}k`);
    await expect(redisReadinessCheck(client)()).resolves.toBeUndefined();
  });

  it('with seed nodes is a Cluster client whose prefix applies on every primary', async () => {
    const prefix = 'svc:';
    const client = track(
      createRedisClient({
        url: 'redis://127.0.0.1:6379',
        clusterNodes: cluster.nodes,
        keyPrefix: prefix,
      }),
    );
    expect(client).toBeInstanceOf(Cluster);
    const keys = Array.from({ length: 12 }, (_, i) => `key:${i}`);
    const masters = await Promise.all(keys.map((key) => cluster.masterPortOf(prefix + key)));
    expect(new Set(masters)).toEqual(new Set(cluster.ports));
    for (const key of keys) await client.set(key, key);
    // Each key sits, prefixed, on the primary that owns its slot.
    for (const [i, key] of keys.entries()) {
      const node = track(new Redis(masters[i] as number, '127.0.0.1'));
      expect(await node.get(prefix + key)).toBe(key);
    }
    await expect(redisReadinessCheck(client)()).resolves.toBeUndefined();
  });

  it('refuses what a cluster cannot honour: a brace in the prefix, a database other than 0', () => {
    expect(() =>
      createRedisClient({ url: 'redis://h:1', clusterNodes: cluster.nodes, keyPrefix: 'a{b}:' }),
    ).toThrow(/must not contain/);
    expect(() =>
      createRedisClient({ url: 'redis://h:1/2', clusterNodes: cluster.nodes, lazyConnect: true }),
    ).toThrow(/only database 0/);
  });

  it('single server: ready while it answers, down once it is gone', async () => {
    const server = await DisposableRedis.start();
    try {
      const client = track(createRedisClient({ url: server.url, maxRetriesPerRequest: 1 }));
      const ready = redisReadinessCheck(client);
      await expect(ready()).resolves.toBeUndefined();
      await server.stop();
      await expect(ready()).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });

  // Last: it kills a primary of the shared cluster.
  it('cluster: down as soon as one primary is gone, before the cluster itself says fail', async () => {
    const client = track(
      createRedisClient({ url: 'redis://127.0.0.1:6379', clusterNodes: cluster.nodes }),
    );
    const ready = redisReadinessCheck(client);
    await expect(ready()).resolves.toBeUndefined();
    await cluster.killNode(2);
    // The surviving primaries still say cluster_state:ok for a node timeout (2 s); the
    // primary that owns a third of the slots no longer answers, so requests would fail.
    await expect(ready()).rejects.toThrow();
  });
});
