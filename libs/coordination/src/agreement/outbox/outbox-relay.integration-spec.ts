import { createTestDatabase, type TestDatabase } from '@suite/testing';
import type { MessageProducer, OutgoingMessage } from '../../ports/message-producer';
import { poolTransactionRunner, type TransactionRunner } from '../../ports/transaction-runner';
import { outboxBacklog, outboxPublishLatency, purgePublishedOutbox } from './outbox-metrics';
import { OutboxRelay } from './outbox-relay';
import { MESSAGE_ID_HEADER, applyOutboxMigrations, writeOutbox } from './outbox-writer';

// The relay against the real Postgres, with an in-memory broker so the claims, the order
// and the fence are what is under test. Kafka is in relay-crash and naive-dual-write.
describe('outbox relay against Postgres', () => {
  let db: TestDatabase;
  let tx: TransactionRunner;
  let sent: { topic: string; message: OutgoingMessage }[];
  const broker: MessageProducer = {
    send: async (topic, messages) => {
      for (const message of messages) sent.push({ topic, message });
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase('outbox relay');
    await applyOutboxMigrations(db.pool);
    await db.pool.query(`create table orders (id text primary key)`);
    tx = poolTransactionRunner({ connect: () => db.pool.connect() });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    sent = [];
    await db.pool.query('delete from outbox_messages');
  });

  const placeOrder = (orderId: string, event = 'OrderPlaced') =>
    tx.inTransaction(async (sql) => {
      await sql.query('insert into orders (id) values ($1) on conflict do nothing', [orderId]);
      return writeOutbox(sql, 'orders.events', {
        key: orderId,
        value: JSON.stringify({ event, orderId }),
      });
    });

  it('publishes committed rows with their message id and marks them published', async () => {
    const row = await placeOrder('o-1');
    const relay = new OutboxRelay(tx, broker);
    expect(await relay.publishBatch()).toEqual({ kind: 'published', count: 1 });
    expect(sent[0]?.message.headers?.[MESSAGE_ID_HEADER]).toBe(row.messageId);
    expect(sent[0]?.message.key).toBe('o-1');
    expect(await relay.publishBatch()).toEqual({ kind: 'idle' });
    expect(await outboxBacklog(db.pool)).toEqual({ backlog: 0, oldestPendingAgeMs: 0 });
    expect((await outboxPublishLatency(db.pool, 60_000)).samples).toBe(1);
  });

  it('publishes nothing for a domain transaction that rolled back', async () => {
    await expect(
      tx.inTransaction(async (sql) => {
        await writeOutbox(sql, 'orders.events', { key: 'o-2', value: '{}' });
        throw new Error('domain rule violated');
      }),
    ).rejects.toThrow('domain rule violated');
    expect(await new OutboxRelay(tx, broker).drain()).toEqual({
      published: 0,
      batches: 0,
      idle: true,
    });
  });

  it('never overtakes an earlier row of a key that another relay holds', async () => {
    const a1 = await placeOrder('A', 'a1');
    await placeOrder('A', 'a2');
    await placeOrder('B', 'b1');
    await placeOrder('A', 'a3');

    // Another relay holds a1 (its claim transaction is still open).
    const holder = await db.pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from outbox_messages where id = $1 for update', [a1.id]);
      const relay = new OutboxRelay(tx, broker);
      expect(await relay.drain()).toMatchObject({ published: 1, idle: true });
      expect(sent.map((s) => JSON.parse(s.message.value).event)).toEqual(['b1']);
      await holder.query('rollback');
    } finally {
      holder.release();
    }
    await new OutboxRelay(tx, broker).drain();
    expect(sent.map((s) => JSON.parse(s.message.value).event)).toEqual(['b1', 'a1', 'a2', 'a3']);
  });

  it('keeps order per key within and across batches', async () => {
    for (let i = 0; i < 30; i++) await placeOrder(`k${i % 3}`, String(i));
    await new OutboxRelay(tx, broker, { batchSize: 7 }).drain();
    for (const key of ['k0', 'k1', 'k2']) {
      const events = sent
        .filter((s) => s.message.key === key)
        .map((s) => Number(JSON.parse(s.message.value).event));
      expect(events).toEqual([...events].sort((x, y) => x - y));
      expect(events).toHaveLength(10);
    }
  });

  it('publishes only its own shard', async () => {
    await tx.inTransaction((sql) =>
      writeOutbox(sql, 'orders.events', { key: 'x', value: '{}' }, { shardCount: 1 }),
    );
    expect(await new OutboxRelay(tx, broker, { shard: 1 }).drain()).toMatchObject({ published: 0 });
    expect(await outboxBacklog(db.pool, 0)).toMatchObject({ backlog: 1 });
    expect(await outboxBacklog(db.pool, 1)).toMatchObject({ backlog: 0 });
  });

  it('publishes nothing when the fence says this relay no longer owns the shard', async () => {
    await placeOrder('o-fenced');
    const relay = new OutboxRelay(tx, broker, { fence: async () => false });
    expect(await relay.publishBatch()).toEqual({ kind: 'fenced-out' });
    expect(sent).toHaveLength(0);
    const backlog = await outboxBacklog(db.pool);
    expect(backlog.backlog).toBe(1);
    expect(backlog.oldestPendingAgeMs).toBeGreaterThan(0);
  });

  it('rolls the claim back when the broker fails, so the rows go again', async () => {
    await placeOrder('o-retry');
    const failing: MessageProducer = {
      send: () => Promise.reject(new Error('broker unavailable')),
    };
    const relay = new OutboxRelay(tx, failing);
    await expect(relay.publishBatch()).rejects.toThrow('broker unavailable');
    expect(relay.stats()).toMatchObject({ failures: 1, lastError: 'broker unavailable' });
    expect(await new OutboxRelay(tx, broker).drain()).toMatchObject({ published: 1 });
  });

  it('purges published rows past retention and keeps pending ones', async () => {
    await placeOrder('o-old');
    await new OutboxRelay(tx, broker).drain();
    await placeOrder('o-pending');
    await db.pool.query(
      `update outbox_messages set published_at = now() - interval '2 days' where aggregate_key = 'o-old'`,
    );
    expect(await purgePublishedOutbox(db.pool, { retentionMs: 24 * 3600 * 1000 })).toEqual({
      deleted: 1,
      more: false,
    });
    expect(await outboxBacklog(db.pool)).toMatchObject({ backlog: 1 });
  });
});
