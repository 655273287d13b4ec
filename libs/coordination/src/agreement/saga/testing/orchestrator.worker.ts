// The orchestrator in its own process, for saga-crash.integration-spec to kill.
// Arguments: <databaseUrl> <brokers> <commandTopic> <replyTopic> <crashPlan JSON>
// crashPlan: { "afterReplies"?: n, "afterPublishes"?: n } — the process SIGKILLs itself
// right after the n-th committed reply (state advanced, next command in the outbox), or
// right after the relay's n-th acknowledged batch (before its rows are marked published).
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { poolTransactionRunner } from '../../../ports/transaction-runner';
import { createIdempotentProducer } from '../../../suppression/kafka/idempotent-producer';
import { OutboxRelay } from '../../outbox/outbox-relay';
import { outboxWriter } from '../../outbox/outbox-writer';
import { runSagaRecoverer, startSagaReplyConsumer } from '../saga.kafka';
import { SagaOrchestrator } from '../saga.orchestrator';
import { checkoutSaga } from './checkout-saga';

interface CrashPlan {
  afterReplies?: number;
  afterPublishes?: number;
}

function crashOn(limit: number | undefined, label: string): () => void {
  let count = 0;
  return () => {
    count += 1;
    if (limit !== undefined && count >= limit) {
      process.send?.({ type: 'crashing', at: label, count });
      process.kill(process.pid, 'SIGKILL');
    }
  };
}

async function main(): Promise<void> {
  const [databaseUrl, brokers, commandTopic, replyTopic, planJson] = process.argv.slice(2);
  if (!databaseUrl || !brokers || !commandTopic || !replyTopic || !planJson) {
    throw new Error(
      'usage: orchestrator.worker.ts <databaseUrl> <brokers> <commandTopic> <replyTopic> <crashPlan>',
    );
  }
  const plan = JSON.parse(planJson) as CrashPlan;
  const pool = new Pool({ connectionString: databaseUrl, max: 5 });
  const tx = poolTransactionRunner(pool);
  const kafka = new Kafka({
    clientId: 'saga-orchestrator-worker',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const orchestrator = new SagaOrchestrator({ tx, outbox: outboxWriter() }).register(
    checkoutSaga(commandTopic, replyTopic),
  );

  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const relay = new OutboxRelay(tx, producer, {
    batchSize: 10,
    onPublished: crashOn(plan.afterPublishes, 'publish'),
  });
  const stop = new AbortController();
  void relay.run(stop.signal, { idleDelayMs: 50 });
  void runSagaRecoverer(orchestrator, stop.signal, { intervalMs: 100 });
  await startSagaReplyConsumer({
    kafka,
    groupId: `${replyTopic}-orchestrator`,
    topic: replyTopic,
    tx,
    inboxConsumer: 'saga-orchestrator',
    orchestrator,
    sessionTimeout: 2_000,
    onApplied: crashOn(plan.afterReplies, 'reply'),
  });
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
