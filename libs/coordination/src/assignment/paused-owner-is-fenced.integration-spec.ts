import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { FakeClock } from '../clock/fake-clock';
import { applyFencingSchema, PostgresEpochs } from '../selection/epochs';
import { fencedPartitionWrite } from './fenced-partition-write';
import { PausableTimers } from './pausable-timers';
import { PartitionAssigner, type PartitionAssignerOptions } from './partition-assigner';

const LEASE_MS = 600;
const HEARTBEAT_MS = 150;
const PARTITIONS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('a partition owner that pauses or loses Redis', () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let running: PartitionAssigner[] = [];

  beforeAll(async () => {
    redis = createTestRedis('assign-pause');
    db = await createTestDatabase('assign_pause');
    await applyFencingSchema(db.pool);
    await db.pool.query('create table fires (partition int, fired_by text)');
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });
  afterEach(async () => {
    await Promise.all(running.map((a) => a.stop()));
    running = [];
  });

  const assigner = (group: string, memberId: string, extra: Partial<PartitionAssignerOptions>) => {
    const a = new PartitionAssigner({
      redis: redis.client,
      namespace: 'test-service',
      epochs: new PostgresEpochs(db.pool),
      group,
      memberId,
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      ...extra,
    });
    running.push(a);
    return a;
  };

  const fire = async (group: string, partition: number, token: number, by: string) => {
    const client = await db.pool.connect();
    try {
      return await fencedPartitionWrite(client, group, partition, token, (tx) =>
        tx.query('insert into fires values ($1, $2)', [partition, by]),
      );
    } finally {
      client.release();
    }
  };

  it('refuses the late write of an owner paused past its lease, after the new owner wrote', async () => {
    const timers = new PausableTimers();
    const a = assigner('pause', 'a', { timers });
    await a.start();
    const b = assigner('pause', 'b', {});
    await b.start();
    await until(
      'a and b split',
      () => a.owned().size > 0 && a.owned().size + b.owned().size === PARTITIONS,
    );
    const [partition, aToken] = [...a.owned()][0] as [number, number];
    expect((await fire('pause', partition, aToken, 'a')).ok).toBe(true);

    // A read its token, then stopped (GC, SIGSTOP) before its next write.
    timers.pause();
    await until('b took the partition', () => b.owned().has(partition), LEASE_MS * 3);
    const bToken = b.owned().get(partition) as number;
    expect(bToken).toBeGreaterThan(aToken);
    expect(await fire('pause', partition, bToken, 'b')).toEqual({
      ok: true,
      value: expect.anything(),
    });

    const late = await fire('pause', partition, aToken, 'a');
    expect(late).toEqual({ ok: false, reason: 'stale-token', currentToken: bToken });
    const rows = await db.pool.query<{ fired_by: string }>(
      'select fired_by from fires where partition = $1',
      [partition],
    );
    expect(rows.rows.map((r) => r.fired_by)).toEqual(['a', 'b']);
    timers.resume();
  });

  it('stops listing claims once they may have lapsed, without waiting for a tick', async () => {
    const clock = new FakeClock(Date.now());
    const timers = new PausableTimers();
    const a = assigner('lapse', 'a', { clock, timers });
    await a.start();
    expect(a.owned().size).toBe(PARTITIONS);
    timers.pause();
    // Default margin: leaseMs / 5. One ms before the margin the claims still count.
    clock.advance(LEASE_MS - LEASE_MS / 5 - 1);
    expect(a.owned().size).toBe(PARTITIONS);
    clock.advance(1);
    expect(a.owned().size).toBe(0);
    timers.resume();
  });

  it('claims everything again with higher tokens after Redis lost its keys', async () => {
    const a = assigner('restart', 'a', {});
    await a.start();
    const before = new Map(a.owned());
    expect(before.size).toBe(PARTITIONS);
    // A restart without persistence: every key of this test is gone, epoch keys included.
    const keys = await redis.client.keys('*');
    const unprefixed = keys.map((k) => k.slice(redis.prefix.length));
    await redis.client.del(...unprefixed);
    await until(
      'a re-claimed every partition',
      () =>
        [...a.owned()].every(([p, t]) => t > (before.get(p) ?? Infinity)) &&
        a.owned().size === PARTITIONS,
      LEASE_MS * 3,
    );
    expect(a.members()).toEqual(['a']);
  });
});
