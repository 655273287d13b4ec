// The saga of saga.local-steps.integration-spec and its worker: a local step, a remote one,
// and a local one again, the shape of a checkout (verify here, capture elsewhere, confirm
// here). Commands land in a `sent_commands` table written in the orchestrator's transaction,
// the role the outbox plays in production.
import type { SagaDefinition, SagaOutbox } from '../saga.definition';

export const LOCAL_TOPIC = 'local.commands';
export const REMOTE_TOPIC = 'remote.commands';
// The inbox name of the local participant, on both of its paths.
export const LOCAL_INBOX = 'local-participant';

export function localStepSaga(
  retry = { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 50 },
): SagaDefinition<Record<string, unknown>> {
  const command = (topic: string, type: string) => (ctx: Record<string, unknown>) => ({
    topic,
    type,
    payload: { order: ctx['order'] },
  });
  return {
    type: 'local-steps',
    replyTopic: 'local.replies',
    steps: [
      {
        name: 'reserve',
        action: command(LOCAL_TOPIC, 'Reserve'),
        compensation: command(LOCAL_TOPIC, 'Unreserve'),
        timeoutMs: 1_000,
        retry,
      },
      {
        name: 'charge',
        action: command(REMOTE_TOPIC, 'Charge'),
        compensation: command(REMOTE_TOPIC, 'Refund'),
        timeoutMs: 1_000,
        retry,
      },
      { name: 'confirm', action: command(LOCAL_TOPIC, 'Confirm'), timeoutMs: 1_000, retry },
    ],
  };
}

export const SENT_COMMANDS_DDL = `
  create table if not exists sent_commands (id bigserial primary key, topic text, key text, value text);
  create table if not exists effects (id bigserial primary key, idempotency_key text)`;

export const recordOutbox: SagaOutbox = async (sql, topic, message) => {
  await sql.query('insert into sent_commands (topic, key, value) values ($1, $2, $3)', [
    topic,
    message.key,
    message.value,
  ]);
};
