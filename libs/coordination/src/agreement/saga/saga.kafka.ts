// kafkajs consumers for sagas. Offsets are committed only after a message's transaction
// commits, so a crash redelivers, and the inbox turns the redelivery into a no-op.
import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { MESSAGE_ID_HEADER, type OutboxWriteOptions } from '../outbox/outbox-writer';
import type { ReplyResult, SagaOrchestrator } from './saga.orchestrator';
import {
  applySagaReplies,
  handleSagaCommand,
  MalformedSagaMessageError,
  parseSagaCommand,
  parseSagaReply,
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
  // The group's session timeout in ms (default DEFAULT_SESSION_TIMEOUT_MS); it sets how
  // long a crashed member's partitions wait (consumerFailoverBoundMs).
  sessionTimeout?: number;
  // Told each time the consumer crashed (the broker unreachable past the client's retries,
  // say) and is about to rejoin, with the delay before it does.
  onRestart?: (error: Error, inMs: number) => void;
  // How many of its partitions one consumer works on at once (default
  // DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY). Messages of one partition, hence of one saga
  // (commands and replies are keyed by saga id), are still handled one at a time, in order.
  partitionsConsumedConcurrently?: number;
}

// kafkajs' own default: one message at a time across all of a consumer's partitions. A
// service sets more (up to its topics' partition count) to work on several sagas at once.
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 1;

// After a crash, the consumer rejoins after this delay, doubled per crash in a row, capped.
const RESTART_BACKOFF_MS = { initial: 500, max: 5_000 };

// The longest a consumer's fetch waits at the broker when there is nothing to read (kafkajs'
// default is 5 s). A message that arrives meanwhile is answered at once, so latency does not
// depend on it; but a graceful stop (disconnect) waits out the fetch in flight, so this bounds
// how long a consumer takes to leave. Idle, a consumer asks each broker twice a second.
const FETCH_WAIT_MS = 500;

// How long a consumer may be silent before the group gives its partitions away.
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

export interface ConsumerGroupTiming {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  // How long a rebalance waits for the live members to rejoin.
  rebalanceTimeoutMs: number;
}

// The timing every saga consumer runs with, derived from one session timeout: heartbeats
// at a fifth of it (a few may be lost before the session ends), and a rebalance that waits
// no longer than a session, so one slow member cannot stall the group for longer.
export function consumerGroupTiming(
  sessionTimeoutMs: number = DEFAULT_SESSION_TIMEOUT_MS,
): ConsumerGroupTiming {
  if (!Number.isSafeInteger(sessionTimeoutMs) || sessionTimeoutMs < 1_000) {
    throw new RangeError(`sessionTimeoutMs must be an integer >= 1000, got ${sessionTimeoutMs}`);
  }
  return {
    sessionTimeoutMs,
    heartbeatIntervalMs: Math.max(100, Math.floor(sessionTimeoutMs / 5)),
    rebalanceTimeoutMs: sessionTimeoutMs,
  };
}

// The longest a message waits unread after the member that owned its partition was killed
// (no LeaveGroup), provided a replacement is running within the session timeout (a restart,
// or another instance): the group notices the death at most sessionTimeout after the last
// heartbeat, then the rebalance completes within rebalanceTimeout. kafkajs 2.2.4 has no
// static membership, so a restarted process is a new member and cannot skip the wait. A
// member that stops gracefully leaves the group (disconnect) and is replaced at once.
// Saga steps and compensations must not give up sooner than this (ADR 0004).
export function consumerFailoverBoundMs(
  timing: Pick<ConsumerGroupTiming, 'sessionTimeoutMs' | 'rebalanceTimeoutMs'>,
): number {
  return timing.sessionTimeoutMs + timing.rebalanceTimeoutMs;
}

function messageIdOf(message: KafkaMessage): string {
  const header = message.headers?.[MESSAGE_ID_HEADER];
  const id = Array.isArray(header) ? header[0] : header;
  if (!id) throw new MalformedSagaMessageError(`message has no ${MESSAGE_ID_HEADER} header`);
  return id.toString();
}

// How a consumer takes its messages: one at a time (a handler per message, its offset
// resolved when it returns), or a partition's fetched batch at once (the handler resolves
// offsets itself, after its transaction committed).
type Handling =
  | { kind: 'message'; handle: (message: KafkaMessage) => Promise<void> }
  | { kind: 'batch'; handle: (payload: EachBatchPayload) => Promise<void> };

async function startConsumer(options: SagaConsumerOptions, handling: Handling): Promise<Consumer> {
  const timing = consumerGroupTiming(options.sessionTimeout);
  // Callers disconnect() on shutdown: that sends LeaveGroup, so a graceful stop hands the
  // partitions over at once instead of after a session timeout.
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: timing.sessionTimeoutMs,
    heartbeatInterval: timing.heartbeatIntervalMs,
    rebalanceTimeout: timing.rebalanceTimeoutMs,
    maxWaitTimeInMs: FETCH_WAIT_MS,
    // kafkajs restarts a crashed consumer from a timer whose failure nobody awaits: if the
    // broker is still down then, the rejection is unhandled and ends the process. Restarts
    // are done below instead, where a failed one is caught and tried again.
    retry: { retries: 5, restartOnFailure: async () => false },
  });
  const concurrency =
    options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `partitionsConsumedConcurrently must be an integer >= 1, got ${concurrency}`,
    );
  }
  const runOptions: ConsumerRunConfig = { partitionsConsumedConcurrently: concurrency };
  if (handling.kind === 'batch') {
    runOptions.eachBatchAutoResolve = false;
    runOptions.eachBatch = handling.handle;
  } else {
    const { handle } = handling;
    runOptions.eachMessage = async ({ message }) => {
      try {
        await handle(message);
      } catch (error) {
        if (!(error instanceof MalformedSagaMessageError)) throw error;
        options.onMalformed?.(error, message);
      }
    };
  }

  // A consumer must outlive any outage of the broker: it rejoins with capped backoff for as
  // long as the process runs, and stops only when the caller disconnects it.
  let stopped = false;
  let crashes = 0;
  let timer: NodeJS.Timeout | undefined;
  const rejoin = (error: Error) => {
    if (stopped || timer) return;
    const inMs = Math.min(RESTART_BACKOFF_MS.max, RESTART_BACKOFF_MS.initial * 2 ** crashes);
    crashes = Math.min(crashes + 1, 16);
    options.onRestart?.(error, inMs);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      consumer
        .connect()
        .then(() => consumer.run(runOptions))
        .then(() => (crashes = 0))
        .catch((failure: unknown) =>
          rejoin(failure instanceof Error ? failure : new Error(String(failure))),
        );
    }, inMs);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => rejoin(payload.error));

  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = async () => {
    stopped = true;
    clearTimeout(timer);
    await disconnect();
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run(runOptions);
  return consumer;
}

// At most this many drive() calls run at once behind one reply consumer; past it, the
// consumer waits for one to end before it takes the next reply.
export const DEFAULT_MAX_DRIVING = 32;

// At most this many replies of one partition are applied in one transaction. One commit and
// one pooled connection then serve a backlog, instead of one each per reply.
export const DEFAULT_REPLIES_PER_TRANSACTION = 32;

// The orchestrator's reply consumer. A partition's fetched replies are applied in order, up
// to `repliesPerTransaction` in one transaction (each through its own inbox record, so a
// redelivered one is still a no-op), and their offsets are resolved only after it commits:
// a crash, or a transaction that fails, redelivers them all. `onApplied` runs after each
// reply's transaction committed (metrics, tracing, and the crash tests' kill points). When
// the orchestrator has local participants, the saga's next local steps are then driven beside
// the consumer, not in its way: the next replies are taken while they run (at most
// `maxDriving` at once). They are safe to lose with the process: their commands are in the
// outbox.
export async function startSagaReplyConsumer(
  options: SagaConsumerOptions & {
    orchestrator: SagaOrchestrator;
    // Also told the saga the reply was for: with several partitions consumed at once, the
    // transactions of different partitions commit in any order.
    onApplied?: (result: ReplyResult, reply: { sagaId: string }) => void;
    maxDriving?: number;
    repliesPerTransaction?: number;
  },
): Promise<Consumer> {
  const { orchestrator } = options;
  const maxDriving = options.maxDriving ?? DEFAULT_MAX_DRIVING;
  const perTransaction = options.repliesPerTransaction ?? DEFAULT_REPLIES_PER_TRANSACTION;
  if (!Number.isSafeInteger(perTransaction) || perTransaction < 1) {
    throw new RangeError(`repliesPerTransaction must be an integer >= 1, got ${perTransaction}`);
  }
  const driving = new Set<Promise<number>>();

  // Read before the transaction: a message that can never be applied is reported and skipped
  // on its own, and cannot roll the others of its transaction back.
  const readable = (message: KafkaMessage) => {
    try {
      const raw = message.value?.toString() ?? '';
      return { messageId: messageIdOf(message), raw, sagaId: parseSagaReply(raw).sagaId };
    } catch (error) {
      if (!(error instanceof MalformedSagaMessageError)) throw error;
      options.onMalformed?.(error, message);
      return undefined;
    }
  };

  const applyCommitted = async (result: ReplyResult, sagaId: string) => {
    options.onApplied?.(result, { sagaId });
    if (!result.applied) return;
    // Committed: the saga's waiters may look, and its next steps run here if they are local.
    orchestrator.notify(sagaId);
    // Its next step runs here only if it is local.
    if (!result.localStep) return;
    while (driving.size >= maxDriving) await Promise.race(driving);
    const run: Promise<number> = orchestrator.drive(sagaId).finally(() => driving.delete(run));
    driving.add(run);
  };

  const consumer = await startConsumer(options, {
    kind: 'batch',
    handle: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (let at = 0; at < batch.messages.length; at += perTransaction) {
        // A rebalance took the partition, or the consumer stops: the rest is redelivered.
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(at, at + perTransaction);
        const replies = chunk.flatMap((message) => readable(message) ?? []);
        const outcomes =
          replies.length === 0
            ? []
            : await applySagaReplies(options.tx, orchestrator, options.inboxConsumer, replies);
        for (const [n, outcome] of outcomes.entries()) {
          const { sagaId } = replies[n] as { sagaId: string };
          if (outcome.kind === 'processed') await applyCommitted(outcome.result, sagaId);
        }
        const last = chunk.at(-1);
        if (last) resolveOffset(last.offset);
        await heartbeat();
      }
    },
  });
  // A graceful stop lets the steps being driven finish (drive() never throws).
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = async () => {
    await disconnect();
    await Promise.all(driving);
  };
  return consumer;
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
  return startConsumer(options, {
    kind: 'message',
    handle: async (message) => {
      const command = parseSagaCommand(message.value?.toString() ?? '');
      const handler = options.handlers[command.type];
      if (!handler)
        throw new MalformedSagaMessageError(`no handler for command type ${command.type}`);
      await options.tx.inTransaction((tx) =>
        handleSagaCommand(tx, options.inboxConsumer, command, handler, options.outbox),
      );
    },
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
