import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import {
  createTestDatabase,
  createTestTopic,
  forkTs,
  integrationEndpoints,
  killAndWait,
  nextMessage,
  testKafka,
  type TestDatabase,
} from '@suite/testing';
import { poolTransactionRunner, type TransactionRunner } from '../../ports/transaction-runner';
import { processOnce } from '../../suppression/inbox/inbox';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { outboxBacklog } from './outbox-metrics';
import { MESSAGE_ID_HEADER, applyOutboxMigrations, writeOutbox } from './outbox-writer';

const WORKER = join(__dirname, 'testing', 'relay-crash.worker.ts');
const KEYS = 20;
const EVENTS_PER_KEY = 10;
const ROWS = KEYS * EVENTS_PER_KEY;
const BATCH = 25;

interface Delivery {
  messageId: string;
  key: string;
  seq: number;
}

// Reads every record of the topic (duplicates included): the sum of the partitions'
// high watermarks is the number of records an idempotent, non-transactional producer wrote.
async function readEverything(kafka: Kafka, topic: string): Promise<Delivery[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);

  const deliveries: Delivery[] = [];
  const consumer = kafka.consumer({ groupId: `${topic}-inbox-consumer` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${deliveries.length} of ${total}`)),
        30_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const body = JSON.parse(message.value?.toString() ?? '{}') as { seq: number };
            deliveries.push({
              messageId: message.headers?.[MESSAGE_ID_HEADER]?.toString() ?? '',
              key: message.key?.toString() ?? '',
              seq: body.seq,
            });
            if (deliveries.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return deliveries;
}

// kill -9 of the relay after Kafka acknowledged a batch and before Postgres marked it:
// the worst moment, because those rows are published and still pending. The relay is
// pipelined, so the batch before it may still be uncommitted too.
describe('outbox relay crash (kill -9 mid-batch)', () => {
  let db: TestDatabase;
  let tx: TransactionRunner;
  let kafka: Kafka;
  let topic: string;
  let deliveries: Delivery[];

  beforeAll(async () => {
    db = await createTestDatabase('outbox crash');
    await applySuppressionMigrations(db.pool);
    await applyOutboxMigrations(db.pool);
    await db.pool.query(`create table order_events (key text not null, seq int not null)`);
    await db.pool.query(
      `create table shipments (message_id text not null, key text not null, seq int not null)`,
    );
    tx = poolTransactionRunner({ connect: () => db.pool.connect() });
    kafka = testKafka('outbox-crash');
    topic = await createTestTopic(kafka, 'outbox crash', 3);

    // The domain writes: each event row and its outbox row in one transaction.
    for (let seq = 0; seq < EVENTS_PER_KEY; seq++) {
      await Promise.all(
        Array.from({ length: KEYS }, (_, k) =>
          tx.inTransaction(async (sql) => {
            await sql.query('insert into order_events (key, seq) values ($1, $2)', [
              `order-${k}`,
              seq,
            ]);
            await writeOutbox(sql, topic, { key: `order-${k}`, value: JSON.stringify({ seq }) });
          }),
        ),
      );
    }

    const endpoints = integrationEndpoints();
    const brokers = endpoints.kafkaBrokers.join(',');
    const first = forkTs(WORKER, [db.url, brokers, String(BATCH), '2000']);
    try {
      await nextMessage(first, (m: { type: string }) => m.type === 'sent', 60_000);
      await nextMessage(first, (m: { type: string }) => m.type === 'sent', 10_000);
      // Third batch: acknowledged by Kafka, not yet marked. Kill it now.
      await nextMessage(first, (m: { type: string }) => m.type === 'sent', 10_000);
    } finally {
      await killAndWait(first, 'SIGKILL');
    }
    expect(first.signalCode).toBe('SIGKILL');
    // The relay pipelines: batch 2 may or may not have committed when batch 3 was acked
    // (batch 2 commits after its own ack, while batch 3 is sent). Batch 3 never committed.
    const { backlog } = await outboxBacklog(db.pool);
    expect([ROWS - 2 * BATCH, ROWS - BATCH]).toContain(backlog);

    const second = forkTs(WORKER, [db.url, brokers, '50', '0']);
    try {
      await nextMessage(second, (m: { type: string }) => m.type === 'drained', 60_000);
    } finally {
      await killAndWait(second, 'SIGKILL');
    }
    deliveries = await readEverything(kafka, topic);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('publishes every outbox row at least once after the restart', async () => {
    expect(await outboxBacklog(db.pool)).toEqual({ backlog: 0, oldestPendingAgeMs: 0 });
    const ids = await db.pool.query<{ message_id: string }>(
      'select message_id from outbox_messages',
    );
    const delivered = new Set(deliveries.map((d) => d.messageId));
    expect(ids.rows.filter((r) => !delivered.has(r.message_id))).toEqual([]);
    // The killed batch went out twice: the crash really hit between publish and mark.
    expect(deliveries.length).toBeGreaterThanOrEqual(ROWS + BATCH);
  });

  it('keeps each key in order by the first delivery of each event', () => {
    for (let k = 0; k < KEYS; k++) {
      const firsts: number[] = [];
      for (const d of deliveries.filter((x) => x.key === `order-${k}`)) {
        if (!firsts.includes(d.seq)) firsts.push(d.seq);
      }
      expect(firsts).toEqual(Array.from({ length: EVENTS_PER_KEY }, (_, i) => i));
    }
  });

  it('applies each row exactly once through the inbox: effects = rows, no duplicates', async () => {
    for (const d of deliveries) {
      await tx.inTransaction((sql) =>
        processOnce(sql, 'shipping', d.messageId, (s) =>
          s.query('insert into shipments (message_id, key, seq) values ($1, $2, $3)', [
            d.messageId,
            d.key,
            d.seq,
          ]),
        ),
      );
    }
    const counts = await db.pool.query<{ effects: string; distinct_effects: string }>(
      'select count(*) as effects, count(distinct message_id) as distinct_effects from shipments',
    );
    expect(Number(counts.rows[0]?.effects)).toBe(ROWS);
    expect(Number(counts.rows[0]?.distinct_effects)).toBe(ROWS);
    console.log(
      `relay crash: rows=${ROWS} deliveries=${deliveries.length} effects=${counts.rows[0]?.effects} duplicate effects=0`,
    );
  });

  it('naive variant: a consumer without the inbox applies the redelivered batch twice', async () => {
    await db.pool.query('create table shipments_naive (message_id text not null)');
    for (const d of deliveries) {
      await tx.inTransaction((sql) =>
        sql.query('insert into shipments_naive (message_id) values ($1)', [d.messageId]),
      );
    }
    const counts = await db.pool.query<{ effects: string; distinct_effects: string }>(
      'select count(*) as effects, count(distinct message_id) as distinct_effects from shipments_naive',
    );
    const effects = Number(counts.rows[0]?.effects);
    expect(Number(counts.rows[0]?.distinct_effects)).toBe(ROWS);
    expect(effects - ROWS).toBeGreaterThanOrEqual(BATCH);
    console.log(
      `relay crash, naive consumer: effects=${effects} duplicate effects=${effects - ROWS}`,
    );
  });
});
