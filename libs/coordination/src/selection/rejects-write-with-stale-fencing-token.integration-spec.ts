import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { applyFencingSchema } from './epochs';
import { checkFence, fencedWrite } from './fenced-write';

describe('storage-side fence in Postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('fence');
    await applyFencingSchema(db.pool);
    await db.pool.query('create table notes (id int primary key, body text)');
  });
  afterAll(() => db.drop());

  it('accepts a first token, the same token again and a higher one', async () => {
    expect(await checkFence(db.pool, 'r1', 10)).toEqual({ ok: true });
    expect(await checkFence(db.pool, 'r1', 10)).toEqual({ ok: true });
    expect(await checkFence(db.pool, 'r1', 11)).toEqual({ ok: true });
  });

  it('refuses a lower token and reports the stored one', async () => {
    await checkFence(db.pool, 'r2', 2 ** 40 + 5);
    expect(await checkFence(db.pool, 'r2', 2 ** 40 + 4)).toEqual({
      ok: false,
      reason: 'stale-token',
      currentToken: 2 ** 40 + 5,
    });
  });

  it('rolls the domain write back with a refused fence, in the caller transaction', async () => {
    const client = await db.pool.connect();
    try {
      await checkFence(db.pool, 'r3', 100);
      await client.query('begin');
      await client.query("insert into notes values (1, 'stale')");
      const fence = await checkFence(client, 'r3', 99);
      expect(fence.ok).toBe(false);
      await client.query('rollback');
      expect((await db.pool.query('select * from notes where id = 1')).rowCount).toBe(0);
    } finally {
      client.release();
    }
  });

  it('holds writers of one resource apart until the first commits', async () => {
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      await first.query('begin');
      expect(await checkFence(first, 'r4', 7)).toEqual({ ok: true });
      // The second writer, with a lower token, waits on the fence row until `first` commits,
      // then sees 7 and is refused.
      const waiting = fencedWrite(second, 'r4', 6, (sql) =>
        sql.query("insert into notes values (2, 'late')"),
      );
      await new Promise((r) => setTimeout(r, 100));
      await first.query("insert into notes values (3, 'first')");
      await first.query('commit');
      expect(await waiting).toEqual({ ok: false, reason: 'stale-token', currentToken: 7 });
      const ids = await db.pool.query<{ id: number }>('select id from notes order by id');
      expect(ids.rows.map((r) => r.id)).toEqual([3]);
    } finally {
      first.release();
      second.release();
    }
  });

  it('rejects a token that is not a positive safe integer', async () => {
    await expect(checkFence(db.pool, 'r5', 0)).rejects.toThrow(RangeError);
    await expect(checkFence(db.pool, 'r5', 2 ** 53)).rejects.toThrow(RangeError);
  });
});
