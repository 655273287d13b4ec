import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema, PostgresEpochs } from '../selection/epochs';
import { Membership } from './membership';
import { PartitionAssigner, type PartitionAssignerOptions } from './partition-assigner';
import { partitionsFor } from './rendezvous';

const LEASE_MS = 600;
const HEARTBEAT_MS = 150;
const PARTITIONS = 16;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
  return Date.now() - started;
}

describe('membership by leases and partitions over the live members', () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let running: PartitionAssigner[] = [];

  beforeAll(async () => {
    redis = createTestRedis('assign');
    db = await createTestDatabase('assign');
    await applyFencingSchema(db.pool);
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });
  afterEach(async () => {
    await Promise.all(running.map((a) => a.stop()));
    running = [];
  });

  const assigner = (
    group: string,
    memberId: string,
    extra: Partial<PartitionAssignerOptions> = {},
  ) => {
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

  it('lists members while they heartbeat, forgets one that leaves or stops', async () => {
    const membership = new Membership({
      redis: redis.client,
      namespace: 'test-service',
      group: 'm',
    });
    await membership.heartbeat('a', LEASE_MS);
    await membership.heartbeat('b', LEASE_MS);
    expect(await membership.members()).toEqual(['a', 'b']);
    expect(await membership.leave('a')).toBe(true);
    expect(await membership.members()).toEqual(['b']);
    await sleep(LEASE_MS + 50);
    expect(await membership.members()).toEqual([]);
  });

  it('gives every partition to exactly one member, as rendezvous hashing says', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id) => assigner('split', id));
    await Promise.all([a, b, c].map((x) => x?.start()));
    const all = [a, b, c] as PartitionAssigner[];
    const expected = (x: PartitionAssigner) =>
      partitionsFor(x.memberId, ['a', 'b', 'c'], PARTITIONS);
    const settled = () => all.every((x) => [...x.owned().keys()].join() === expected(x).join());
    // Members that started first hold more until the later ones show up; then it settles.
    await until('the rendezvous split', settled);
    const owners = all.flatMap((x) => [...x.owned().keys()]);
    expect(new Set(owners).size).toBe(PARTITIONS);
  });

  it('hands partitions over at once when a member stops, with higher tokens', async () => {
    const a = assigner('handover', 'a');
    const b = assigner('handover', 'b');
    await a.start();
    await b.start();
    await until('a and b split', () => a.owned().size + b.owned().size === PARTITIONS);
    const fromA = new Map(a.owned());
    expect(fromA.size).toBeGreaterThan(0);
    await a.stop();
    const took = await until('b owns all', () => b.owned().size === PARTITIONS);
    // At b's next heartbeat, not after a's lease.
    expect(took).toBeLessThan(HEARTBEAT_MS * 2 + 100);
    for (const [p, token] of fromA) expect(b.owned().get(p)).toBeGreaterThan(token);
  });

  it('reassigns a dead member’s partitions within lease + heartbeat', async () => {
    // A member that dies without leaving: its timers stop and it never calls stop().
    let frozen = false;
    const timers = {
      setTimeout: (fn: () => void, ms: number) => setTimeout(() => frozen || fn(), ms),
      clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
    };
    const a = assigner('death', 'a', { timers });
    const b = assigner('death', 'b');
    await a.start();
    await b.start();
    await until('a and b split', () => a.owned().size + b.owned().size === PARTITIONS);
    frozen = true;
    const died = Date.now();
    await until('b owns all', () => b.owned().size === PARTITIONS, LEASE_MS * 4);
    expect(Date.now() - died).toBeLessThan(LEASE_MS + HEARTBEAT_MS + 200);
    expect(b.members()).toEqual(['b']);
    // The dead member's own view lapses too: it no longer claims to own anything.
    expect(a.owned().size).toBe(0);
  });

  it('tells listeners about each change', async () => {
    const a = assigner('listen', 'a');
    const seen: number[] = [];
    a.onChange((owned) => seen.push(owned.size));
    await a.start();
    expect(seen).toEqual([PARTITIONS]);
    const b = assigner('listen', 'b');
    await b.start();
    await until('a gave some up', () => seen.length >= 2);
    expect(seen[1]).toBeLessThan(PARTITIONS);
  });
});
