import { join } from 'node:path';
import type { Consumer, Kafka } from 'kafkajs';
import {
  createTestDatabase,
  createTestTopic,
  forkTs,
  integrationEndpoints,
  killAndWait,
  testKafka,
  type TestDatabase,
} from '@suite/testing';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { processOnce } from '../../suppression/inbox/inbox';
import { createIdempotentProducer } from '../../suppression/kafka/idempotent-producer';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { OutboxRelay } from '../outbox/outbox-relay';
import { applyOutboxMigrations, outboxWriter } from '../outbox/outbox-writer';
import type { SagaCommandHandler } from './saga.messages';
import { startSagaParticipant } from './saga.kafka';
import { SagaOrchestrator } from './saga.orchestrator';
import { applySagaMigrations } from './saga.store';
import { checkoutSaga, COMMAND_TYPES } from './testing/checkout-saga';

const WORKER = join(__dirname, 'testing', 'orchestrator.worker.ts');

// Kill points, one orchestrator life each: right after a committed reply (forward steps
// early on, compensations later), and right after the relay's batch was acknowledged but
// before it was marked. The last life runs without a crash until every saga has ended.
const LIVES = [
  { afterReplies: 1 },
  { afterPublishes: 1 },
  { afterReplies: 2 },
  { afterPublishes: 2 },
  { afterReplies: 3 },
  { afterReplies: 2 },
  { afterPublishes: 1 },
  { afterReplies: 4 },
  {},
];

// kill -9 of the orchestrator at step boundaries, forward and during compensation: every
// saga still reaches completed or compensated, and no participant applies a step twice.
describe('saga orchestrator crash and recovery over Kafka', () => {
  let orchestratorDb: TestDatabase;
  let participantDb: TestDatabase;
  let kafka: Kafka;
  let commandTopic: string;
  let replyTopic: string;
  let participant: Consumer;
  const stopParticipant = new AbortController();

  // Each step is applied once per idempotency key (saga id + step): a redelivered or
  // resent command finds the key already used and replays success.
  const participantHandler: SagaCommandHandler = async (tx, command) => {
    if (command.phase === 'action' && command.payload['failAt'] === command.step) {
      return { outcome: 'failed', reason: 'scripted failure' };
    }
    await processOnce(tx, 'effects', command.idempotencyKey, (t) =>
      t.query('insert into effects (idempotency_key, saga_id, type) values ($1, $2, $3)', [
        command.idempotencyKey,
        command.sagaId,
        command.type,
      ]),
    );
    return {
      outcome: 'succeeded',
      ...(command.step === 'capture' ? { data: { paymentId: `pay-${command.sagaId}` } } : {}),
    };
  };

  beforeAll(async () => {
    orchestratorDb = await createTestDatabase('saga crash orchestrator');
    participantDb = await createTestDatabase('saga crash participant');
    for (const db of [orchestratorDb, participantDb]) {
      await applySuppressionMigrations(db.pool);
      await applyOutboxMigrations(db.pool);
    }
    await applySagaMigrations(orchestratorDb.pool);
    await participantDb.pool.query(
      'create table effects (id bigserial primary key, idempotency_key text, saga_id text, type text)',
    );

    kafka = testKafka('saga-crash');
    commandTopic = await createTestTopic(kafka, 'saga commands', 3);
    replyTopic = await createTestTopic(kafka, 'saga replies', 3);

    const tx = poolTransactionRunner(participantDb.pool);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    void new OutboxRelay(tx, producer, { batchSize: 20 }).run(stopParticipant.signal, {
      idleDelayMs: 50,
    });
    stopParticipant.signal.addEventListener('abort', () => void producer.disconnect());
    const handlers = Object.fromEntries(
      Object.values(COMMAND_TYPES).map((type) => [type, participantHandler]),
    );
    participant = await startSagaParticipant({
      kafka,
      groupId: `${commandTopic}-participant`,
      topic: commandTopic,
      tx,
      inboxConsumer: 'checkout-participant',
      handlers,
      sessionTimeout: 6_000,
    });
  });

  afterAll(async () => {
    stopParticipant.abort();
    await participant.disconnect();
    await orchestratorDb.drop();
    await participantDb.drop();
  });

  const unfinished = async () =>
    Number(
      (
        await orchestratorDb.pool.query<{ n: string }>(
          "select count(*) as n from saga_instances where status in ('running', 'compensating')",
        )
      ).rows[0]?.n,
    );

  it('brings every saga to completed or compensated, with each step applied once', async () => {
    const starter = new SagaOrchestrator({
      tx: poolTransactionRunner(orchestratorDb.pool),
      outbox: outboxWriter(),
    }).register(checkoutSaga(commandTopic, replyTopic));
    const succeeding = ['s-1', 's-2', 's-3', 's-4'];
    const failing = ['f-1', 'f-2'];
    for (const id of succeeding) await starter.start('checkout', id, { order: `o-${id}` });
    for (const id of failing)
      await starter.start('checkout', id, { order: `o-${id}`, failAt: 'confirm-seats' });

    const { brokers } = { brokers: integrationEndpoints().kafkaBrokers.join(',') };
    const crashes: string[] = [];
    for (const plan of LIVES) {
      const worker = forkTs(WORKER, [
        orchestratorDb.url,
        brokers,
        commandTopic,
        replyTopic,
        JSON.stringify(plan),
      ]);
      try {
        // A life may crash before it reports ready: its first reply can arrive at once.
        const deadline = Date.now() + 30_000;
        while (
          Date.now() < deadline &&
          worker.exitCode === null &&
          worker.signalCode === null &&
          (await unfinished()) > 0
        ) {
          await new Promise((r) => setTimeout(r, 100));
        }
        if (worker.signalCode === 'SIGKILL') crashes.push(JSON.stringify(plan));
      } finally {
        await killAndWait(worker);
      }
      if ((await unfinished()) === 0) break;
    }

    expect(await unfinished()).toBe(0);
    // The kill points were really hit, not skipped because the work was already done.
    expect(crashes.length).toBeGreaterThanOrEqual(5);

    const { rows: sagas } = await orchestratorDb.pool.query<{ id: string; status: string }>(
      'select id, status from saga_instances order by id',
    );
    expect(Object.fromEntries(sagas.map((s) => [s.id, s.status]))).toEqual({
      'f-1': 'compensated',
      'f-2': 'compensated',
      's-1': 'completed',
      's-2': 'completed',
      's-3': 'completed',
      's-4': 'completed',
    });

    const { rows: effects } = await participantDb.pool.query<{
      idempotency_key: string;
      n: string;
    }>(
      'select idempotency_key, count(*) as n from effects group by idempotency_key order by idempotency_key',
    );
    // No step's effect was applied twice.
    expect(effects.filter((e) => Number(e.n) !== 1)).toEqual([]);
    const keys = effects.map((e) => e.idempotency_key);
    const expected = [
      ...succeeding.flatMap((id) => [`${id}:verify-hold`, `${id}:capture`, `${id}:confirm-seats`]),
      // confirm-seats failed and changed nothing, so only the capture is undone
      ...failing.flatMap((id) => [
        `${id}:verify-hold`,
        `${id}:capture`,
        `${id}:capture:compensation`,
      ]),
    ].sort();
    expect(keys).toEqual(expected);
  });
});
