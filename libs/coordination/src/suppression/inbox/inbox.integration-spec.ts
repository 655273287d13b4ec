import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { FakeClock } from '../../clock/fake-clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../schema/migrations';
import { processOnce, purgeInbox } from './inbox';

// A payment-captured message credits a merchant's balance. Kafka delivers at least once,
// so the consumer sees some messages twice; the balance must move once per message.
describe('inbox', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('inbox');
    await applySuppressionMigrations(db.pool);
    await db.pool.query(`create table credits (message_id text not null, amount int not null)`);
  });
  afterAll(async () => {
    await db.drop();
  });

  const tx = () => poolTransactionRunner({ connect: () => db.pool.connect() });
  const credit = (messageId: string) => async (sql: SqlExecutor) => {
    await sql.query(`insert into credits (message_id, amount) values ($1, 100)`, [messageId]);
    return 'credited';
  };
  const countCredits = async (messageId: string) => {
    const r = await db.pool.query<{ n: string }>(
      `select count(*) as n from credits where message_id = $1`,
      [messageId],
    );
    return Number(r.rows[0]?.n);
  };

  it('applies a redelivered message once: the second delivery is a duplicate', async () => {
    const first = await tx().inTransaction((sql) =>
      processOnce(sql, 'ledger', 'm-1', credit('m-1')),
    );
    const again = await tx().inTransaction((sql) =>
      processOnce(sql, 'ledger', 'm-1', credit('m-1')),
    );
    expect(first).toEqual({ kind: 'processed', result: 'credited' });
    expect(again).toEqual({ kind: 'duplicate' });
    expect(await countCredits('m-1')).toBe(1);
  });

  it('applies a message delivered ten times at once exactly once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        tx().inTransaction((sql) => processOnce(sql, 'ledger', 'm-2', credit('m-2'))),
      ),
    );
    expect(outcomes.filter((o) => o.kind === 'processed')).toHaveLength(1);
    expect(await countCredits('m-2')).toBe(1);
  });

  it('forgets a message whose effect rolled back, so the redelivery applies it', async () => {
    await expect(
      tx().inTransaction((sql) =>
        processOnce(sql, 'ledger', 'm-3', async (s) => {
          await credit('m-3')(s);
          throw new Error('crash after the effect, before commit');
        }),
      ),
    ).rejects.toThrow('crash after the effect');
    expect(await countCredits('m-3')).toBe(0);
    await tx().inTransaction((sql) => processOnce(sql, 'ledger', 'm-3', credit('m-3')));
    expect(await countCredits('m-3')).toBe(1);
  });

  it('keeps consumers apart: one message id is processed once per consumer', async () => {
    await tx().inTransaction((sql) => processOnce(sql, 'ledger', 'm-4', credit('m-4')));
    const other = await tx().inTransaction((sql) =>
      processOnce(sql, 'notifier', 'm-4', async () => 'notified'),
    );
    expect(other).toEqual({ kind: 'processed', result: 'notified' });
  });

  it('naive variant: a consumer without the inbox applies the effect twice on redelivery', async () => {
    const naiveConsume = (messageId: string) =>
      tx().inTransaction(async (sql) => credit(messageId)(sql));
    await naiveConsume('m-naive');
    await naiveConsume('m-naive'); // the broker redelivers after a lost offset commit
    expect(await countCredits('m-naive')).toBe(2);
  });

  it('purges entries older than the retention, in bounded batches', async () => {
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    for (let i = 0; i < 7; i++) {
      await tx().inTransaction((sql) => processOnce(sql, 'purged', `p-${i}`, async () => i, clock));
    }
    clock.advance(8 * 24 * 60 * 60 * 1000);
    const report = await purgeInbox(db.pool, {
      retentionMs: 7 * 24 * 60 * 60 * 1000,
      batchSize: 3,
      clock,
    });
    // Entries of the other tests were written with the real clock, years earlier.
    expect(report.more).toBe(false);
    const left = await db.pool.query(`select 1 from inbox_messages where consumer = 'purged'`);
    expect(left.rowCount).toBe(0);
  });
});
