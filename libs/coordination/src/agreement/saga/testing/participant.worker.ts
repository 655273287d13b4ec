// A saga participant in its own process, for participant-failover.integration-spec to kill
// (SIGKILL: no goodbye) or stop (SIGTERM: it disconnects, which leaves the group).
// Arguments: <databaseUrl> <brokers> <commandTopic> <groupId> <sessionTimeoutMs> <name>
// [clientRetries]: the Kafka client's retries per request (kafkajs default when absent); a
// small number makes a broker outage outlast them quickly.
// It loads, reports { ready }, and joins the group only when told ({ start: true }), so a
// test can boot a successor before the handover it measures. Then reports { joined },
// { handled: sagaId } per command and { left } after a SIGTERM.
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { poolTransactionRunner } from '../../../ports/transaction-runner';
import { startSagaParticipant } from '../saga.kafka';

async function main(): Promise<void> {
  const [databaseUrl, brokers, topic, groupId, sessionTimeout, name, clientRetries] =
    process.argv.slice(2);
  if (!databaseUrl || !brokers || !topic || !groupId || !sessionTimeout || !name) {
    throw new Error(
      'usage: participant.worker.ts <databaseUrl> <brokers> <topic> <groupId> <sessionTimeoutMs> <name>',
    );
  }
  const pool = new Pool({ connectionString: databaseUrl, max: 3 });
  await new Promise<void>((resolve) => {
    process.on('message', (message: { start?: boolean }) => {
      if (message.start) resolve();
    });
    process.send?.({ ready: name });
  });
  const kafka = new Kafka({
    clientId: name,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...(clientRetries
      ? { retry: { retries: Number(clientRetries), initialRetryTime: 100, maxRetryTime: 400 } }
      : {}),
  });
  const consumer = await startSagaParticipant({
    kafka,
    groupId,
    topic,
    tx: poolTransactionRunner(pool),
    inboxConsumer: 'failover-participant',
    sessionTimeout: Number(sessionTimeout),
    onRestart: (_error, inMs) => process.send?.({ restarting: inMs }),
    handlers: {
      Work: async (tx, command) => {
        await tx.query(
          'insert into effects (saga_id, handled_by) values ($1, $2) on conflict do nothing',
          [command.sagaId, name],
        );
        // After the commit would be more exact; the test only needs the moment work resumed.
        process.send?.({ handled: command.sagaId });
        return { outcome: 'succeeded' };
      },
    },
  });
  // What a service does on SIGTERM: stopOnSignals closes the app, which runs the workers'
  // shutdown hook.
  process.once('SIGTERM', () => {
    void consumer
      .disconnect()
      .then(() => pool.end())
      .then(() => {
        if (!process.send) process.exit(0);
        process.send({ left: name }, () => process.exit(0));
      });
  });
  process.send?.({ joined: name });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
