import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { applyFencingSchema } from './epochs';
import { checkFence, checkFenceShared } from './fenced-write';

// The fence the pipelined outbox relay checks in each of its open transactions, against the
// real Postgres: transactions of the stored token pass together, without waiting for each
// other; a newer token waits for all of them and then refuses them.
describe('shared fence check in Postgres', () => {
  let db: TestDatabase;
  const clients: PoolClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('shared fence');
    await applyFencingSchema(db.pool);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
  });
  afterAll(() => db.drop());

  const open = async () => {
    const client = await db.pool.connect();
    clients.push(client);
    await client.query('begin');
    // A lock wait longer than this fails the statement instead of hanging the test.
    await client.query("set local lock_timeout = '2s'");
    return client;
  };

  it('lets transactions of the stored token pass at once, while each is still open', async () => {
    await checkFence(db.pool, 'shard-0', 7);
    const first = await open();
    const second = await open();
    expect(await checkFenceShared(first, 'shard-0', 7)).toEqual({ ok: true });
    // With checkFence the second would wait for the first's commit (and time out here).
    const started = Date.now();
    expect(await checkFenceShared(second, 'shard-0', 7)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stores a token not stored yet, as checkFence does', async () => {
    const tx = await open();
    expect(await checkFenceShared(tx, 'shard-1', 3)).toEqual({ ok: true });
    await tx.query('commit');
    expect(await checkFence(db.pool, 'shard-1', 2)).toEqual({
      ok: false,
      reason: 'stale-token',
      currentToken: 3,
    });
  });

  it('makes a newer token wait for every open transaction, then refuses the older token', async () => {
    await checkFence(db.pool, 'shard-2', 10);
    const a = await open();
    const b = await open();
    expect((await checkFenceShared(a, 'shard-2', 10)).ok).toBe(true);
    expect((await checkFenceShared(b, 'shard-2', 10)).ok).toBe(true);

    const newer = await open();
    let newerDone = false;
    const taking = checkFence(newer, 'shard-2', 11).then((result) => {
      newerDone = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(newerDone).toBe(false);
    await a.query('commit');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(newerDone).toBe(false);
    await b.query('commit');
    expect(await taking).toEqual({ ok: true });
    await newer.query('commit');

    const late = await open();
    expect(await checkFenceShared(late, 'shard-2', 10)).toEqual({
      ok: false,
      reason: 'stale-token',
      currentToken: 11,
    });
  });

  it('refuses a malformed token', async () => {
    await expect(checkFenceShared(db.pool, 'shard-3', 0)).rejects.toThrow(RangeError);
  });
});
