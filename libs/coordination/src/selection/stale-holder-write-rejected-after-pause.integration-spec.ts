import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  createTestDatabase,
  createTestRedis,
  forkTs,
  integrationEndpoints,
  killAndWait,
  nextMessage,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { FencedHolds } from './fenced-holds';
import { fencedWrite } from './fenced-write';
import { NaiveLock } from './naive-lock';

// A holds seat 1 in its own process and is frozen with SIGSTOP past its TTL. B takes the seat
// and sells it. A is thawed and, still believing it holds the seat, sells it too.
describe('a holder paused past its TTL', () => {
  const TTL_MS = 500;
  let redis: TestRedis;
  let db: TestDatabase;
  let a: ChildProcess;

  beforeAll(async () => {
    redis = createTestRedis('pause');
    db = await createTestDatabase('pause');
    await applyFencingSchema(db.pool);
    await db.pool.query(
      'create table seats (seat text primary key, sold_to text, token bigint); ' +
        "insert into seats values ('1', null, null), ('2', null, null)",
    );
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });
  beforeEach(async () => {
    a = forkTs(join(__dirname, 'fixtures/holder-worker.ts'), [
      integrationEndpoints().redisUrl,
      db.url,
      redis.prefix,
      'A',
    ]);
    await nextMessage(a, (m: { ready?: string }) => m.ready === 'A');
  });
  afterEach(async () => {
    if (a.signalCode === null && a.exitCode === null) a.kill('SIGCONT');
    await killAndWait(a);
  });

  const soldTo = async (seat: string) =>
    (await db.pool.query<{ sold_to: string }>('select sold_to from seats where seat = $1', [seat]))
      .rows[0]?.sold_to;

  const pausePastTtl = async () => {
    a.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, TTL_MS * 2));
  };

  it('is refused by the fenced write once B has written with a higher token', async () => {
    a.send({ do: 'acquire-fenced', scope: 'show-1', resource: '1', ttlMs: TTL_MS });
    const held = await nextMessage<{ acquired: boolean; token: number }>(a, (m) => 'acquired' in m);
    expect(held.acquired).toBe(true);
    await pausePastTtl();

    const holds = new FencedHolds({
      namespace: 'test-service',
      redis: redis.client,
      epochs: new PostgresEpochs(db.pool),
    });
    const b = await holds.acquire({ scope: 'show-1', resources: ['1'], owner: 'B', ttlMs: 10_000 });
    if (!b.ok) throw new Error(`B could not acquire: ${b.reason}`);
    const bToken = b.hold.tokens['1'] ?? 0;
    expect(bToken).toBeGreaterThan(held.token);
    const client = await db.pool.connect();
    try {
      const written = await fencedWrite(client, 'show-1/1', bToken, (sql) =>
        sql.query("update seats set sold_to = 'B', token = $1 where seat = '1'", [bToken]),
      );
      expect(written.ok).toBe(true);
    } finally {
      client.release();
    }

    a.kill('SIGCONT');
    a.send({ do: 'write-fenced', scope: 'show-1', resource: '1' });
    const late = await nextMessage<{ wrote: boolean; result: unknown }>(a, (m) => 'wrote' in m);
    expect(late.wrote).toBe(false);
    expect(late.result).toEqual({ ok: false, reason: 'stale-token', currentToken: bToken });
    expect(await soldTo('1')).toBe('B');
  });

  it('gets through with the naive lock, so the check above can fail', async () => {
    a.send({ do: 'acquire-naive', resource: 'seat-2', ttlMs: TTL_MS });
    expect(await nextMessage<{ acquired: boolean }>(a, (m) => 'acquired' in m)).toEqual({
      acquired: true,
    });
    await pausePastTtl();

    const naive = new NaiveLock(redis.client);
    expect(await naive.acquire('seat-2', 'B', 10_000)).toBe(true);
    await db.pool.query("update seats set sold_to = 'B' where seat = '2'");

    a.kill('SIGCONT');
    a.send({ do: 'write-naive', resource: '2' });
    expect(await nextMessage(a, (m: { wrote?: boolean }) => 'wrote' in m)).toEqual({ wrote: true });
    // B holds the lock, yet A's write is the one that stuck: the seat changed hands behind B.
    expect(await redis.client.get('naive-lock:{seat-2}')).toBe('B');
    expect(await soldTo('2')).toBe('A');
  });
});
