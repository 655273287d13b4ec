import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applyOutboxMigrations, outboxWriter, writeOutbox } from './outbox-writer';

// A writer that names its message id (an event with an identity of its own) writes it once,
// however often a retried step repeats the write.
describe('outbox writes with an explicit message id', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('outbox message id');
    await applyOutboxMigrations(db.pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  const rowsOf = async (messageId: string) =>
    (
      await db.pool.query(`select message_id, payload from outbox_messages where message_id = $1`, [
        messageId,
      ])
    ).rows;

  it('a-repeated-write-of-one-message-id-keeps-the-first-row-and-says-nothing-was-written', async () => {
    const messageId = randomUUID();
    const tx = poolTransactionRunner(db.pool);
    const first = await tx.inTransaction((sql) =>
      writeOutbox(sql, 'orders.events', { key: 'o-1', value: 'first' }, { messageId }),
    );
    expect(first).toMatchObject({ written: true, messageId });
    // The retry runs with wake-ups on: the same statement's notifying twin also skips it.
    const again = await tx.inTransaction((sql) =>
      writeOutbox(
        sql,
        'orders.events',
        { key: 'o-1', value: 'again' },
        { messageId, wakeup: true },
      ),
    );
    expect(again).toEqual({ written: false, messageId });
    expect(await rowsOf(messageId)).toEqual([{ message_id: messageId, payload: 'first' }]);
  });

  it('a-write-without-a-message-id-gets-a-fresh-one-every-time', async () => {
    const a = await writeOutbox(db.pool, 'orders.events', { key: 'o-2', value: '{}' });
    const b = await writeOutbox(db.pool, 'orders.events', { key: 'o-2', value: '{}' });
    expect(a.written && b.written).toBe(true);
    expect(a.messageId).not.toBe(b.messageId);
  });

  it('refuses-a-message-id-that-is-not-a-uuid-and-a-writer-bound-to-one-id', async () => {
    await expect(
      writeOutbox(db.pool, 'orders.events', { key: 'o-3', value: '{}' }, { messageId: 'order-3' }),
    ).rejects.toThrow('writeOutbox: messageId must be a UUID (got order-3)');
    expect(() => outboxWriter({ messageId: randomUUID() })).toThrow(
      'outboxWriter: messageId is chosen per write, not per writer',
    );
  });
});
