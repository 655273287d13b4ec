import { DisposableRedisCluster } from '@suite/testing';
import type { Cluster } from 'ioredis';
import { LuaScript } from './lua-script';

const PREFIX = 'lua-proof:';
// Writes ARGV[1] into both keys; returns how many keys it wrote.
const twoKeys = new LuaScript(
  'two-keys',
  "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return 2",
);

// The rule every mechanism's key builder follows, shown on a real 3-primary Redis Cluster:
// a multi-key script runs only when its keys share a slot, i.e. a hash tag.
describe('Lua scripts on a Redis Cluster', () => {
  let cluster: DisposableRedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start();
    redis = cluster.connect({ keyPrefix: PREFIX });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses a two-key script whose keys have no shared hash tag (CROSSSLOT)', async () => {
    const keys = ['order:1', 'order:2'];
    const [a, b] = await Promise.all(keys.map((key) => cluster.masterPortOf(PREFIX + key)));
    // Different primaries, so not one slot either.
    expect(a).not.toBe(b);
    await expect(twoKeys.run(redis, keys, ['x'])).rejects.toThrow(/CROSSSLOT/);
  });

  it('runs the same script once the keys share a hash tag, on whichever primary owns it', async () => {
    const tags = Array.from({ length: 12 }, (_, i) => `{order:${i}}`);
    const masters = await Promise.all(tags.map((tag) => cluster.masterPortOf(PREFIX + tag)));
    expect(new Set(masters)).toEqual(new Set(cluster.ports));
    for (const tag of tags) {
      expect(await twoKeys.run(redis, [`${tag}:a`, `${tag}:b`], ['x'])).toBe(2);
    }
  });

  it('loads the script again on every primary after their script caches are flushed', async () => {
    await Promise.all(redis.nodes('master').map((node) => node.script('FLUSH')));
    for (let i = 0; i < 12; i++) {
      expect(await twoKeys.run(redis, [`{flush:${i}}:a`, `{flush:${i}}:b`], ['y'])).toBe(2);
    }
    const loaded = await Promise.all(
      redis.nodes('master').map((node) => node.script('EXISTS', twoKeys.sha)),
    );
    expect(loaded).toEqual(cluster.ports.map(() => [1]));
  });
});
