import { DisposableRedisCluster } from '@suite/testing';
import type { Cluster } from 'ioredis';
import { createLimiter, limiterKeyBase } from './limiter';
import type { RateLimitAlgorithm } from './policy';

const PREFIX = 'limiter-proof:';
const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'sliding-log',
  'sliding-counter',
  'gcra',
  'fixed-window',
];

// Every limiter algorithm through ioredis' Cluster client on a real 3-primary Redis Cluster:
// each (policy, key) keeps its state under one {policy:key} tag, so each decision is one
// script on one slot, and keys spread over every primary.
describe('limiters on a Redis Cluster', () => {
  let cluster: DisposableRedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start();
    redis = cluster.connect({ keyPrefix: PREFIX });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(ALGORITHMS)(
    '%s admits up to the limit per key, for keys on every primary',
    async (algorithm) => {
      const limiter = createLimiter({
        redis,
        policy: {
          name: `api.${algorithm}`,
          algorithm,
          limit: 3,
          windowMs: 60_000,
          failure: 'closed',
        },
        // Generous: a slow box must not turn into failure-policy decisions here.
        timeoutMs: 10_000,
      });
      const keys = Array.from({ length: 12 }, (_, i) => `client-${i}`);
      const masters = await Promise.all(
        keys.map((key) => cluster.masterPortOf(PREFIX + limiterKeyBase(`api.${algorithm}`, key))),
      );
      expect(new Set(masters)).toEqual(new Set(cluster.ports));
      // One fixed instant: fixed-window's window and every algorithm's arithmetic are exact.
      const nowMs = 1_700_000_000_000;
      for (const key of keys) {
        const decisions = [];
        for (let i = 0; i < 4; i++) decisions.push(await limiter.check(key, { nowMs }));
        expect(decisions.map((d) => [d.allowed, d.source])).toEqual([
          [true, 'redis'],
          [true, 'redis'],
          [true, 'redis'],
          [false, 'redis'],
        ]);
      }
    },
  );
});
