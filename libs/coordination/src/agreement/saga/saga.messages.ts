// Parsing and handling of saga messages on both sides, inside the caller's transaction:
// the orchestrator applies a reply through its inbox; a participant applies a command
// through its inbox and answers through its outbox.
import type { SqlExecutor } from '../../ports/sql-executor';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { processOnce, type InboxOutcome } from '../../suppression/inbox/inbox';
import { writeOutbox, type OutboxWriteOptions } from '../outbox/outbox-writer';
import type { SagaCommandEnvelope, SagaReply } from './saga.definition';
import type { ReplyResult, SagaOrchestrator } from './saga.orchestrator';

export class MalformedSagaMessageError extends Error {
  readonly code = 'SAGA_MALFORMED_MESSAGE';
  readonly retriable = false;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPhase = (v: unknown) => v === 'action' || v === 'compensation';

function parseJson(raw: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new MalformedSagaMessageError(`${what} is not JSON`);
  }
  if (!isRecord(value)) throw new MalformedSagaMessageError(`${what} is not an object`);
  return value;
}

export function parseSagaReply(raw: string): SagaReply {
  const v = parseJson(raw, 'saga reply');
  if (typeof v['sagaId'] !== 'string' || typeof v['step'] !== 'string' || !isPhase(v['phase'])) {
    throw new MalformedSagaMessageError('saga reply lacks sagaId, step or phase');
  }
  if (!Number.isInteger(v['attempt']) || (v['attempt'] as number) < 1) {
    throw new MalformedSagaMessageError('saga reply attempt must be a positive integer');
  }
  if (v['outcome'] !== 'succeeded' && v['outcome'] !== 'failed') {
    throw new MalformedSagaMessageError('saga reply outcome must be succeeded or failed');
  }
  if (v['data'] !== undefined && !isRecord(v['data']))
    throw new MalformedSagaMessageError('saga reply data must be an object');
  return v as unknown as SagaReply;
}

export function parseSagaCommand(raw: string): SagaCommandEnvelope {
  const v = parseJson(raw, 'saga command');
  for (const field of [
    'sagaId',
    'sagaType',
    'step',
    'idempotencyKey',
    'type',
    'replyTopic',
  ] as const) {
    if (typeof v[field] !== 'string')
      throw new MalformedSagaMessageError(`saga command lacks ${field}`);
  }
  if (!isPhase(v['phase']) || !Number.isInteger(v['attempt']) || !isRecord(v['payload'])) {
    throw new MalformedSagaMessageError('saga command has a bad phase, attempt or payload');
  }
  return v as unknown as SagaCommandEnvelope;
}

// The orchestrator's side: a redelivered reply (same message id) is a no-op. A reply that
// throws is quarantined (see SagaOrchestrator.handleReply).
export function applySagaReply(
  tx: SqlExecutor,
  orchestrator: SagaOrchestrator,
  inboxConsumer: string,
  messageId: string,
  raw: string,
): Promise<InboxOutcome<ReplyResult>> {
  return orchestrator.handleReplyOnce(tx, inboxConsumer, messageId, parseSagaReply(raw), true);
}

// Several replies (a partition's, in order) in one transaction, each through its own inbox
// record. The transaction runs first without a savepoint per reply, two round trips fewer
// each. If it fails, it runs again with them: a reply that throws is then quarantined and the
// others applied, as applySagaReply does for one, so a reply that throws blocks nothing. A
// failing database fails both runs, and the caller has the replies redelivered.
export async function applySagaReplies(
  transactions: TransactionRunner,
  orchestrator: SagaOrchestrator,
  inboxConsumer: string,
  replies: readonly { messageId: string; raw: string }[],
): Promise<InboxOutcome<ReplyResult>[]> {
  const parsed = replies.map((r) => ({ messageId: r.messageId, reply: parseSagaReply(r.raw) }));
  const run = (guarded: boolean) =>
    transactions.inTransaction(async (tx) => {
      const outcomes: InboxOutcome<ReplyResult>[] = [];
      for (const { messageId, reply } of parsed) {
        outcomes.push(
          await orchestrator.handleReplyOnce(tx, inboxConsumer, messageId, reply, guarded),
        );
      }
      return outcomes;
    });
  try {
    return await run(false);
  } catch {
    return run(true);
  }
}

export type StepOutcome = Pick<SagaReply, 'outcome' | 'data' | 'reason' | 'retriable'>;
export type SagaCommandHandler = (
  tx: SqlExecutor,
  command: SagaCommandEnvelope,
) => Promise<StepOutcome>;

// The participant's side. The inbox dedupes redeliveries of one attempt; the handler must
// itself make the step idempotent across attempts, keyed by command.idempotencyKey (an
// idempotency record, a unique key), because a retried attempt is a new message. The
// reply is written to the outbox in the same transaction as the effect.
export function handleSagaCommand(
  tx: SqlExecutor,
  inboxConsumer: string,
  command: SagaCommandEnvelope,
  handler: SagaCommandHandler,
  outbox: OutboxWriteOptions = {},
): Promise<InboxOutcome<StepOutcome>> {
  return processOnce(
    tx,
    inboxConsumer,
    `${command.idempotencyKey}#${command.attempt}`,
    async (inner) => {
      const outcome = await handler(inner, command);
      const reply: SagaReply = {
        sagaId: command.sagaId,
        step: command.step,
        phase: command.phase,
        attempt: command.attempt,
        ...outcome,
      };
      await writeOutbox(
        inner,
        command.replyTopic,
        { key: command.sagaId, value: JSON.stringify(reply) },
        outbox,
      );
      return outcome;
    },
  );
}
