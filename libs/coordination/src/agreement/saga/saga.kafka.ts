// kafkajs consumers for sagas. Offsets are committed only after a message's transaction
// commits, so a crash redelivers, and the inbox turns the redelivery into a no-op.
import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { MESSAGE_ID_HEADER, type OutboxWriteOptions } from '../outbox/outbox-writer';
import type { ReplyResult, SagaOrchestrator } from './saga.orchestrator';
import {
  applySagaReply,
  handleSagaCommand,
  MalformedSagaMessageError,
  parseSagaCommand,
  type SagaCommandHandler,
} from './saga.messages';

export interface SagaConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  tx: TransactionRunner;
  // Name under which processed message ids are recorded in the inbox.
  inboxConsumer: string;
  // A message that can never be processed (not JSON, missing fields) is reported and
  // skipped rather than retried forever.
  onMalformed?: (error: MalformedSagaMessageError, message: KafkaMessage) => void;
  sessionTimeout?: number;
}

function messageIdOf(message: KafkaMessage): string {
  const header = message.headers?.[MESSAGE_ID_HEADER];
  const id = Array.isArray(header) ? header[0] : header;
  if (!id) throw new MalformedSagaMessageError(`message has no ${MESSAGE_ID_HEADER} header`);
  return id.toString();
}

async function startConsumer(
  options: SagaConsumerOptions,
  handle: (message: KafkaMessage) => Promise<void>,
): Promise<Consumer> {
  const sessionTimeout = options.sessionTimeout ?? 10_000;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout,
    heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 5)),
    rebalanceTimeout: sessionTimeout,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      try {
        await handle(message);
      } catch (error) {
        if (!(error instanceof MalformedSagaMessageError)) throw error;
        options.onMalformed?.(error, message);
      }
    },
  });
  return consumer;
}

// The orchestrator's reply consumer. `onApplied` runs after each reply's transaction
// committed (metrics, tracing, and the crash tests' kill points).
export function startSagaReplyConsumer(
  options: SagaConsumerOptions & {
    orchestrator: SagaOrchestrator;
    onApplied?: (result: ReplyResult) => void;
  },
): Promise<Consumer> {
  return startConsumer(options, async (message) => {
    const messageId = messageIdOf(message);
    const raw = message.value?.toString() ?? '';
    const outcome = await options.tx.inTransaction((tx) =>
      applySagaReply(tx, options.orchestrator, options.inboxConsumer, messageId, raw),
    );
    if (outcome.kind === 'processed') options.onApplied?.(outcome.result);
  });
}

// A participant's command consumer: one handler per command type.
// `outbox` is how replies are written (shardCount, wakeup), as for the orchestrator's
// outboxWriter.
export function startSagaParticipant(
  options: SagaConsumerOptions & {
    handlers: Record<string, SagaCommandHandler>;
    outbox?: OutboxWriteOptions;
  },
): Promise<Consumer> {
  return startConsumer(options, async (message) => {
    const command = parseSagaCommand(message.value?.toString() ?? '');
    const handler = options.handlers[command.type];
    if (!handler)
      throw new MalformedSagaMessageError(`no handler for command type ${command.type}`);
    await options.tx.inTransaction((tx) =>
      handleSagaCommand(tx, options.inboxConsumer, command, handler, options.outbox),
    );
  });
}

// Applies due timeouts and retries every `intervalMs` until `signal` aborts. Several
// processes may run it at once (claimed rows are skipped); a lease keeps it to one.
export async function runSagaRecoverer(
  orchestrator: SagaOrchestrator,
  signal: AbortSignal,
  options: {
    intervalMs?: number;
    onProcessed?: (count: number) => void;
    // A failed round (database unreachable, say) is reported and tried again next round.
    onError?: (error: unknown) => void;
  } = {},
): Promise<void> {
  const intervalMs = options.intervalMs ?? 500;
  while (!signal.aborted) {
    try {
      const count = await orchestrator.processDue();
      if (count > 0) options.onProcessed?.(count);
    } catch (error) {
      options.onError?.(error);
    }
    // Rejects when the signal aborts, which only ends the wait.
    await delay(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}
