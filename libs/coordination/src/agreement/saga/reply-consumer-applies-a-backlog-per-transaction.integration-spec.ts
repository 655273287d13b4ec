import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { createTestDatabase, createTestTopic, testKafka, type TestDatabase } from '@suite/testing';
import { poolTransactionRunner, type TransactionRunner } from '../../ports/transaction-runner';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { MESSAGE_ID_HEADER } from '../outbox/outbox-writer';
import type { SagaDefinition, SagaReply } from './saga.definition';
import { startSagaReplyConsumer } from './saga.kafka';
import { SagaOrchestrator } from './saga.orchestrator';
import { applySagaMigrations } from './saga.store';
import { recordOutbox, SENT_COMMANDS_DDL } from './testing/local-step-saga';

const SAGAS = 20;
const PER_TRANSACTION = 8;

// The reply consumer with a backlog on its partition: replies are applied several to a
// transaction, and still each exactly once. A transaction that fails after its work ran
// (the commit lost, say) rolls every reply in it back and they come again; a malformed
// message is skipped on its own; a redelivered reply (same message id) changes nothing.
describe('saga reply consumer with a backlog', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let consumer: Consumer | undefined;

  const definition: SagaDefinition<Record<string, unknown>> = {
    type: 'backlog',
    replyTopic: 'unused',
    steps: [
      {
        name: 'charge',
        action: () => ({ topic: 'remote.commands', type: 'Charge', payload: {} }),
        timeoutMs: 60_000,
        retry: { maxAttempts: 1, initialBackoffMs: 50, maxBackoffMs: 50 },
      },
    ],
  };

  beforeAll(async () => {
    db = await createTestDatabase('saga reply backlog');
    await applySuppressionMigrations(db.pool);
    await applySagaMigrations(db.pool);
    await db.pool.query(SENT_COMMANDS_DDL);
    kafka = testKafka('saga-reply-backlog');
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await db.drop();
  });

  it('applies each reply once, fewer transactions than replies, through a failed commit', async () => {
    const pool = poolTransactionRunner(db.pool);
    const orchestrator = new SagaOrchestrator({ tx: pool, outbox: recordOutbox }).register(
      definition,
    );
    const ids = Array.from({ length: SAGAS }, (_, i) => `backlog-${i}`);
    for (const id of ids) await orchestrator.start('backlog', id, {});

    // One partition, filled before the consumer starts: one fetch sees the whole backlog.
    const topic = await createTestTopic(kafka, 'saga reply backlog', 1);
    const reply = (sagaId: string): SagaReply => ({
      sagaId,
      step: 'charge',
      phase: 'action',
      attempt: 1,
      outcome: 'succeeded',
    });
    const messages = ids.map((id) => ({
      key: id,
      value: JSON.stringify(reply(id)),
      headers: { [MESSAGE_ID_HEADER]: `reply-${id}` },
    }));
    const malformed = { key: 'x', value: 'not json', headers: { [MESSAGE_ID_HEADER]: 'bad' } };
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...messages.slice(0, 3),
        malformed,
        ...messages.slice(3),
        // The first reply again, as a redelivery through the relay would send it.
        messages[0] ?? malformed,
      ],
    });
    await producer.disconnect();

    // Counts commits, and fails the second transaction after its replies were applied,
    // where a lost commit would: all of them roll back.
    let begun = 0;
    let committed = 0;
    const tx: TransactionRunner = {
      inTransaction: async (work) => {
        begun += 1;
        const fail = begun === 2;
        const result = await pool.inTransaction(async (sql) => {
          const value = await work(sql);
          if (fail) throw new Error('the commit was lost');
          return value;
        });
        committed += 1;
        return result;
      },
    };
    let applied = 0;
    let skipped = 0;
    consumer = await startSagaReplyConsumer({
      kafka,
      groupId: `${topic}-orchestrator-${randomUUID()}`,
      topic,
      tx,
      inboxConsumer: 'backlog-orchestrator',
      orchestrator,
      repliesPerTransaction: PER_TRANSACTION,
      sessionTimeout: 6_000,
      onApplied: (result) => (applied += result.applied ? 1 : 0),
      onMalformed: () => (skipped += 1),
    });

    const completed = async () =>
      Number(
        (
          await db.pool.query<{ n: string }>(
            "select count(*) as n from saga_instances where status = 'completed'",
          )
        ).rows[0]?.n,
      );
    const deadline = Date.now() + 60_000;
    while ((await completed()) < SAGAS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await completed()).toBe(SAGAS);

    const { rows: inbox } = await db.pool.query<{ n: string }>(
      "select count(*) as n from inbox_messages where consumer = 'backlog-orchestrator'",
    );
    expect(Number(inbox[0]?.n)).toBe(SAGAS);
    expect(applied).toBe(SAGAS);
    expect(skipped).toBeGreaterThanOrEqual(1);
    expect(begun - committed).toBe(1);
    // 22 messages at most 8 to a transaction: 3 commits, or 4 if the redelivery after the
    // failure came in a fetch of its own. One per reply would be 20.
    expect(committed).toBeGreaterThanOrEqual(Math.ceil((SAGAS + 2) / PER_TRANSACTION));
    expect(committed).toBeLessThanOrEqual(Math.ceil((SAGAS + 2) / PER_TRANSACTION) + 2);
  }, 90_000);
});
