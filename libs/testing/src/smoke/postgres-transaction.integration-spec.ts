import { createTestDatabase, type TestDatabase } from '../index';

describe('postgres transaction (smoke)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('smoke postgres');
    await db.pool.query('create table seats (id int primary key, holder text)');
  });
  afterAll(() => db.drop());

  it('commits atomically and hides uncommitted writes from other sessions', async () => {
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      await writer.query("insert into seats values (1, 'alice'), (2, 'alice')");
      const { rows: seenOutside } = await db.pool.query('select count(*)::int as n from seats');
      expect(seenOutside[0].n).toBe(0);
      await writer.query('commit');
    } finally {
      writer.release();
    }
    const { rows } = await db.pool.query('select count(*)::int as n from seats');
    expect(rows[0].n).toBe(2);
  });

  it('rolls back every statement when one of them fails', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query("insert into seats values (3, 'bob')");
      // Seat 1 exists: the primary key rejects this and poisons the transaction.
      await expect(client.query("insert into seats values (1, 'bob')")).rejects.toThrow(
        /duplicate key/,
      );
      await client.query('rollback');
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(
      "select count(*)::int as n from seats where holder = 'bob'",
    );
    expect(rows[0].n).toBe(0);
  });
});
