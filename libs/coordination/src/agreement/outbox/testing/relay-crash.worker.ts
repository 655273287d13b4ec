// A relay in its own process, for the crash test (relay-crash.integration-spec.ts) to
// SIGKILL. Arguments: <databaseUrl> <brokers,comma,separated> <batchSize> <pauseAfterSendMs>.
// It reports each acknowledged batch over IPC, then pauses before marking the rows, so
// the test can kill it after Kafka has the messages and before Postgres knows.
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { poolTransactionRunner } from '../../../ports/transaction-runner';
import { createIdempotentProducer } from '../../../suppression/kafka/idempotent-producer';
import { OutboxRelay } from '../outbox-relay';

async function main(): Promise<void> {
  const [databaseUrl, brokers, batchSize, pauseMs] = process.argv.slice(2);
  if (!databaseUrl || !brokers || !batchSize || pauseMs === undefined) {
    throw new Error('usage: relay-crash.worker.ts <databaseUrl> <brokers> <batchSize> <pauseMs>');
  }
  const send = (message: unknown) => process.send?.(message);
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const kafka = new Kafka({
    clientId: 'outbox-relay-worker',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const relay = new OutboxRelay(poolTransactionRunner(pool), producer, {
    batchSize: Number(batchSize),
    onPublished: async ({ count, ids }) => {
      send({ type: 'sent', count, ids });
      await new Promise((resolve) => setTimeout(resolve, Number(pauseMs)));
    },
  });
  send({ type: 'ready' });
  const drained = await relay.drain(10_000);
  await producer.disconnect();
  await pool.end();
  send({ type: 'drained', ...drained, stats: relay.stats() });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
