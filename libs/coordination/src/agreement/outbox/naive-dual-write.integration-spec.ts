import type { Kafka } from 'kafkajs';
import { createTestDatabase, createTestTopic, testKafka, type TestDatabase } from '@suite/testing';
import { poolTransactionRunner, type TransactionRunner } from '../../ports/transaction-runner';
import {
  createIdempotentProducer,
  type IdempotentProducer,
} from '../../suppression/kafka/idempotent-producer';
import { OutboxRelay } from './outbox-relay';
import { applyOutboxMigrations, writeOutbox } from './outbox-writer';

// The verifier: every committed order has exactly one OrderPlaced event and every event
// has a committed order. It counts the two ways a dual write breaks that.
async function verify(kafka: Kafka, topic: string, db: TestDatabase) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const events: string[] = [];
  if (total > 0) {
    const consumer = kafka.consumer({ groupId: `${topic}-verifier` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('verifier timed out')), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            events.push(message.key?.toString() ?? '');
            if (events.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
  }
  const orders = (await db.pool.query<{ id: string }>('select id from orders')).rows.map(
    (r) => r.id,
  );
  return {
    lost: orders.filter((id) => !events.includes(id)).length,
    phantom: events.filter((id) => !orders.includes(id)).length,
  };
}

describe('dual write versus transactional outbox', () => {
  let db: TestDatabase;
  let tx: TransactionRunner;
  let kafka: Kafka;
  let producer: IdempotentProducer;

  beforeAll(async () => {
    db = await createTestDatabase('outbox naive');
    await applyOutboxMigrations(db.pool);
    await db.pool.query('create table orders (id text primary key)');
    tx = poolTransactionRunner({ connect: () => db.pool.connect() });
    kafka = testKafka('outbox-naive');
    producer = createIdempotentProducer(kafka);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.drop();
  });
  beforeEach(() => db.pool.query('delete from orders'));

  const crash = () => {
    throw new Error('process crashed');
  };

  it('naive variant: publishing outside the transaction loses one event and invents another', async () => {
    const topic = await createTestTopic(kafka, 'naive orders', 1);
    // Publish, then the transaction rolls back: an event for an order that never existed.
    await expect(
      tx.inTransaction(async (sql) => {
        await sql.query(`insert into orders (id) values ('o-rolled-back')`);
        await producer.send(topic, [{ key: 'o-rolled-back', value: 'OrderPlaced' }]);
        crash();
      }),
    ).rejects.toThrow('process crashed');
    // Commit, then crash before publishing: an order whose event is lost.
    await expect(
      (async () => {
        await tx.inTransaction((sql) =>
          sql.query(`insert into orders (id) values ('o-committed')`),
        );
        crash();
        await producer.send(topic, [{ key: 'o-committed', value: 'OrderPlaced' }]);
      })(),
    ).rejects.toThrow('process crashed');

    expect(await verify(kafka, topic, db)).toEqual({ lost: 1, phantom: 1 });
  });

  it('the outbox loses nothing and invents nothing under the same two crashes', async () => {
    const topic = await createTestTopic(kafka, 'outbox orders', 1);
    await expect(
      tx.inTransaction(async (sql) => {
        await sql.query(`insert into orders (id) values ('o-rolled-back')`);
        await writeOutbox(sql, topic, { key: 'o-rolled-back', value: 'OrderPlaced' });
        crash();
      }),
    ).rejects.toThrow('process crashed');
    await expect(
      (async () => {
        await tx.inTransaction(async (sql) => {
          await sql.query(`insert into orders (id) values ('o-committed')`);
          await writeOutbox(sql, topic, { key: 'o-committed', value: 'OrderPlaced' });
        });
        crash();
      })(),
    ).rejects.toThrow('process crashed');

    // The relay, restarted after the crash, publishes what was committed.
    await new OutboxRelay(tx, producer).drain();
    expect(await verify(kafka, topic, db)).toEqual({ lost: 0, phantom: 0 });
  });
});
