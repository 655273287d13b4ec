import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  DisposableRedisCluster,
  findWorkspaceRoot,
  type TestDatabase,
} from '@suite/testing';
import type { Cluster } from 'ioredis';
import { decodeToken } from './fencing-token';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { epochKey, FencedHolds, fenceKey, leaseKey } from './fenced-holds';
import { LeaderElector, type Lease } from './leader-elector';
import { NaiveLock } from './naive-lock';

const run = promisify(execFile);
const root = findWorkspaceRoot(__dirname);
const PREFIX = 'cluster-proof:';
const NS = 'ticketing';

// Fenced holds, their leases, leader election and the runbook through ioredis' Cluster client
// on a real 3-primary Redis Cluster. Every multi-key script of a hold must stay in one slot
// (the {namespace:scope} tag); a key builder without the tag fails here with CROSSSLOT.
describe('selection on a Redis Cluster', () => {
  let cluster: DisposableRedisCluster;
  let db: TestDatabase;
  let redis: Cluster;
  let holds: FencedHolds;

  beforeAll(async () => {
    cluster = await DisposableRedisCluster.start();
    db = await createTestDatabase('selection on cluster');
    await applyFencingSchema(db.pool);
    redis = cluster.connect({ keyPrefix: PREFIX });
    holds = new FencedHolds({ namespace: NS, redis, epochs: new PostgresEpochs(db.pool) });
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  // Which primary holds the keys of (scope): they share one slot, so the epoch key stands for all.
  const masterOf = (scope: string) => cluster.masterPortOf(PREFIX + epochKey(NS, scope));

  it('places 12 multi-seat holds whose scopes land on all 3 primaries, all or nothing', async () => {
    const scopes = Array.from({ length: 12 }, (_, i) => `event:${i}`);
    const masters = await Promise.all(scopes.map(masterOf));
    // The proof covers every primary, not one lucky slot.
    expect(new Set(masters)).toEqual(new Set(cluster.ports));

    for (const scope of scopes) {
      const taken = await holds.acquire({
        scope,
        resources: ['A1', 'A2', 'A3'],
        owner: 'alice',
        ttlMs: 30_000,
      });
      expect(taken).toMatchObject({ ok: true });
      if (!taken.ok) continue;
      const epochs = Object.values(taken.hold.tokens).map((t) => decodeToken(t).epoch);
      expect(new Set(epochs).size).toBe(1);

      // A contender overlapping one seat takes none of its others.
      expect(
        await holds.acquire({
          scope,
          resources: ['A4', 'A3'],
          owner: 'bob',
          ttlMs: 30_000,
        }),
      ).toMatchObject({ ok: false, reason: 'held', resource: 'A3', heldBy: 'alice' });
      expect(
        await holds.acquire({ scope, resources: ['A4'], owner: 'carol', ttlMs: 30_000 }),
      ).toMatchObject({ ok: true });
    }
    // Every hold's keys live on the primary its tag names, and nowhere else.
    for (const [i, scope] of scopes.entries()) {
      const port = masters[i] as number;
      for (const key of [leaseKey(NS, scope, 'A1'), fenceKey(NS, scope, 'A3')]) {
        expect(await cluster.masterPortOf(PREFIX + key)).toBe(port);
      }
    }
    const counts = await cluster.keyCounts();
    for (const port of cluster.ports) expect(counts.get(port)).toBeGreaterThan(0);
  });

  it('extends and releases multi-seat leases on every primary, owner only', async () => {
    const scopes = ['show:1', 'show:2', 'show:3', 'show:4', 'show:5', 'show:6'];
    expect(new Set(await Promise.all(scopes.map(masterOf)))).toEqual(new Set(cluster.ports));
    for (const scope of scopes) {
      const request = { scope, resources: ['B1', 'B2'], ttlMs: 30_000 };
      expect(await holds.acquire({ ...request, owner: 'alice' })).toMatchObject({ ok: true });
      expect(await holds.extend({ ...request, owner: 'mallory' })).toMatchObject({
        ok: false,
        reason: 'not-owner',
        heldBy: 'alice',
      });
      expect(await holds.extend({ ...request, ttlMs: 60_000, owner: 'alice' })).toMatchObject({
        ok: true,
      });
      expect(await redis.pttl(leaseKey(NS, scope, 'B2'))).toBeGreaterThan(30_000);
      expect(await holds.release({ ...request, owner: 'alice' })).toEqual({
        ok: true,
        released: 2,
      });
      expect(await redis.exists(leaseKey(NS, scope, 'B1'), leaseKey(NS, scope, 'B2'))).toBe(0);
    }
  });

  it('issues a higher token to each new holder, and a higher epoch after the runbook', async () => {
    const grant = async (owner: string) => {
      const got = await holds.acquire({
        scope: 'hall:1',
        resources: ['C1'],
        owner,
        ttlMs: 30_000,
      });
      if (!got.ok) throw new Error(`C1 is held by ${got.heldBy}`);
      await holds.release({ scope: 'hall:1', resources: ['C1'], owner });
      return got.hold.tokens['C1'] as number;
    };
    const first = await grant('u1');
    const second = await grant('u2');
    expect(second).toBe(first + 1);

    // The operator's runbook, as its own process, through the cluster's seeds.
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'runbook/start-new-epoch.cli.ts'),
        `--cluster-nodes=${cluster.nodes.join(',')}`,
        'redis://127.0.0.1:6379',
        PREFIX,
        NS,
        'hall:1',
        'C1',
      ],
      { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') } },
    );
    expect(JSON.parse(stdout)).toEqual({
      previousEpoch: decodeToken(first).epoch,
      countersReset: 1,
    });
    const renewed = await grant('u3');
    expect(renewed).toBeGreaterThan(second);
    expect(decodeToken(renewed)).toMatchObject({ counter: 1 });
  });

  it('elects one leader per name for names on every primary, and hands over on stop', async () => {
    const names = ['relay:0', 'relay:1', 'relay:2', 'relay:3', 'relay:4', 'relay:5'];
    const leaderScope = (name: string) => `leader:${name}`;
    expect(new Set(await Promise.all(names.map((n) => masterOf(leaderScope(n)))))).toEqual(
      new Set(cluster.ports),
    );
    const elected = new Map<string, Lease>();
    // Redis errors (CROSSSLOT among them) end the test at once instead of at the deadline.
    const errors: unknown[] = [];
    const noErrors = () => {
      if (errors.length > 0) throw errors[0];
    };
    const electors = names.flatMap((name) =>
      ['p1', 'p2'].map((owner) => ({
        name,
        elector: new LeaderElector({
          holds,
          name,
          owner,
          ttlMs: 10_000,
          // A follower asks again this often while the name is held (and at most ttl later).
          retryEveryMs: 200,
          onElected: (lease) => elected.set(`${name}/${owner}`, lease),
          onDemoted: () => undefined,
          onError: (error) => errors.push(error),
        }),
      })),
    );
    const leadersOf = (name: string) =>
      electors.filter((e) => e.name === name && e.elector.isLeader()).map((e) => e.elector);
    try {
      electors.forEach(({ elector }) => elector.start());
      await waitFor(() => (noErrors(), names.every((name) => leadersOf(name).length === 1)));
      for (const name of names) {
        const [leader] = leadersOf(name);
        if (!leader) throw new Error(`no leader for ${name}`);
        const before = leader.currentToken() as number;
        await leader.stop();
        // The follower retries every ttl / 3 and finds the lease released.
        await waitFor(() => (noErrors(), leadersOf(name).length === 1));
        const [next] = leadersOf(name);
        expect(next).not.toBe(leader);
        expect(next?.currentToken()).toBeGreaterThan(before);
      }
    } finally {
      await Promise.all(electors.map(({ elector }) => elector.stop()));
    }
    expect(errors).toEqual([]);
    expect(elected.size).toBe(names.length * 2);
  });

  it('the naive lock works key by key on the cluster too (its flaw is fencing, not slots)', async () => {
    const lock = new NaiveLock(redis);
    expect(await lock.acquire('door', 'a', 30_000)).toBe(true);
    expect(await lock.acquire('door', 'b', 30_000)).toBe(false);
    expect(await lock.release('door')).toBe(true);
  });
});

// Generous and bounded: a busy 2-core box may be slow, never wrong.
async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
