// An orchestrator process whose local participant dies inside its step, for
// saga.local-steps.integration-spec to check that nothing of the step survives the crash and
// that the command's other path (the outbox, then the participant's consumer) runs it.
// Arguments: <databaseUrl> <sagaId>
// It starts the saga, then drives it: the local handler writes its effect, tells the parent
// and SIGKILLs the process before its transaction commits.
import { Pool } from 'pg';
import { poolTransactionRunner } from '../../../ports/transaction-runner';
import { SagaOrchestrator } from '../saga.orchestrator';
import { LOCAL_INBOX, LOCAL_TOPIC, localStepSaga, recordOutbox } from './local-step-saga';

async function main(): Promise<void> {
  const [databaseUrl, sagaId] = process.argv.slice(2);
  if (!databaseUrl || !sagaId)
    throw new Error('usage: local-step.worker.ts <databaseUrl> <sagaId>');
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const orchestrator = new SagaOrchestrator({
    tx: poolTransactionRunner(pool),
    outbox: recordOutbox,
    localParticipants: [
      {
        topic: LOCAL_TOPIC,
        inboxConsumer: LOCAL_INBOX,
        handlers: {
          Reserve: async (tx, command) => {
            await tx.query('insert into effects (idempotency_key) values ($1)', [
              command.idempotencyKey,
            ]);
            process.send?.({ type: 'in-step' });
            // Give the message time to leave before the process ends mid-transaction.
            await new Promise((r) => setTimeout(r, 200));
            process.kill(process.pid, 'SIGKILL');
            return { outcome: 'succeeded' };
          },
        },
      },
    ],
  }).register(localStepSaga());
  await orchestrator.start('local-steps', sagaId, { order: sagaId });
  await orchestrator.drive(sagaId);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
