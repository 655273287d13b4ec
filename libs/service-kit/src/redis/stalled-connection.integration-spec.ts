import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DisposableRedis, FaultProxy, integrationEndpoints, uniqueName } from '@suite/testing';
import type Redis from 'ioredis';
import { createRedisClient } from './create-redis-client';

const run = promisify(execFile);

// A partition drops packets without closing the connection. First through toxiproxy's timeout
// toxic (nothing answered, the connection held open, new connections accepted but never
// served), then through a real firewall partition.
const WATCH = { probeEveryMs: 100, stalledAfterMs: 400 };
const STALL_MS = 1_500;

describe('a Redis connection that stalls without closing', () => {
  let proxy: FaultProxy;
  const clients: Redis[] = [];
  const prefix = `${uniqueName('stalled connection')}:`;

  const client = (stallWatch: typeof WATCH | false, onStalled?: () => void): Redis => {
    const created = createRedisClient({
      url: `redis://${proxy.host}:${proxy.port}`,
      keyPrefix: prefix,
      // Bounds the naive client's wait: a stalled command fails instead of hanging the test.
      commandTimeout: 3_000,
      stallWatch: stallWatch && { ...stallWatch, onStalled },
    }) as Redis;
    clients.push(created);
    return created;
  };

  beforeEach(async () => {
    const upstream = new URL(integrationEndpoints().redisUrl);
    proxy = await FaultProxy.create('stalled-redis', `${upstream.hostname}:${upstream.port}`);
  });

  afterEach(async () => {
    clients.splice(0).forEach((redis) => redis.disconnect());
    await proxy.remove();
  });

  it('is replaced, answers within a second of the path healing, and keeps the write sent during the stall', async () => {
    let replaced = 0;
    const redis = client(WATCH, () => replaced++);
    await redis.set('before', '1');

    await proxy.timeout(0);
    const sentDuringStall = redis.incr('during');
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    expect(replaced).toBeGreaterThanOrEqual(1);
    await proxy.clear();

    expect(await msUntil(redis, 5_000)).toBeLessThan(1_000);
    // The INCR never reached Redis (the toxic swallowed it); the replacement connection
    // resent it, so it applies once.
    await expect(sentDuringStall).resolves.toBe(1);
    expect(await redis.get('during')).toBe('1');
    expect(await redis.get('before')).toBe('1');
    await redis.del('before', 'during');
  });

  it('is never replaced while Redis answers', async () => {
    let replaced = 0;
    const redis = client(WATCH, () => replaced++);
    for (let i = 0; i < 20; i++) {
      await redis.set(`steady:${i}`, String(i), 'PX', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(replaced).toBe(0);
  });
});

// The real thing: packets to and from one disposable Redis dropped by the kernel's firewall,
// as a partition does. The kernel keeps retransmitting with exponential back-off, so after
// an 8 s partition the next retransmission of the old connection is seconds away. Needs root
// (iptables); a machine without it skips, and says so.
const canPartition = process.getuid?.() === 0;
const PARTITION_MS = 8_000;

(canPartition ? describe : describe.skip)('a Redis connection across a real partition', () => {
  let redis: DisposableRedis;
  let rules: string[][] = [];

  const partition = async (port: number) => {
    rules = [
      ['INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'],
      ['INPUT', '-p', 'tcp', '--sport', String(port), '-j', 'DROP'],
    ];
    for (const rule of rules) await run('iptables', ['-I', ...rule]);
  };
  const heal = async () => {
    // Each rule is deleted even if another's deletion fails; an error is re-thrown after.
    const results = await Promise.allSettled(
      rules.splice(0).map((rule) => run('iptables', ['-D', ...rule])),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };

  beforeAll(async () => {
    redis = await DisposableRedis.start();
  });
  afterAll(async () => {
    await heal();
    await redis?.stop();
  });

  it('the watched client answers within 2 s of the healing; an unwatched one waits for the next retransmission', async () => {
    const make = (stallWatch: typeof WATCH | false) =>
      createRedisClient({ url: redis.url, commandTimeout: 1_000, stallWatch }) as Redis;
    const watched = make(WATCH);
    const unwatched = make(false);
    try {
      await Promise.all([watched.ping(), unwatched.ping()]);
      await partition(Number(new URL(redis.url).port));
      // Both send while the path is down, so both have data waiting for an acknowledgement.
      await Promise.allSettled([watched.ping(), unwatched.ping()]);
      await new Promise((resolve) => setTimeout(resolve, PARTITION_MS));
      await heal();

      const [watchedMs, unwatchedMs] = await Promise.all([
        msUntil(watched, 15_000),
        msUntil(unwatched, 15_000),
      ]);
      expect(watchedMs).toBeLessThan(2_000);
      expect(unwatchedMs).toBeGreaterThan(3_000);
    } finally {
      watched.disconnect();
      unwatched.disconnect();
    }
  }, 40_000);
});

// Bounded: asks until one command answers, and says how long that took.
async function msUntil(redis: Redis, limitMs: number): Promise<number> {
  const from = Date.now();
  while (Date.now() - from < limitMs) {
    try {
      await redis.ping();
      return Date.now() - from;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return Number.POSITIVE_INFINITY;
}
