// The agreement benchmarks of issue 4, against the local Postgres and Kafka, in one run:
// 1. outbox-to-Kafka throughput: rows already in the outbox drained by OutboxRelay with the
//    idempotent producer, as a ratio against a plain kafkajs producer with acks=-1 (same
//    messages, topic and batch size), paired per round;
// 2. commit-to-publish latency: domain transaction commit -> broker ack and -> consumer
//    receipt, with the relay in its run() loop, per idle delay;
// 3. saga step overhead: a 3-step saga over Kafka, orchestrator and participant each with
//    its own database and relay, per step from the command's write to the reply's commit,
//    minus the participant handler's own time, per relay idle delay.
// Not a test: it prints the figures and writes load-tests/results/agreement-<date>.md. It
// creates scratch databases and topics with unique names and removes them at the end.
//
//   npm run bench:agreement -- [--messages 5000] [--rounds 5] [--sagas 60]
//                              [--only throughput|latency|saga]
//                              [--saga-waits wakeups] [--reply-concurrency 1]
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer, type Message, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import {
  OutboxRelay,
  applyOutboxMigrations,
  applySagaMigrations,
  applySuppressionMigrations,
  createIdempotentProducer,
  idempotencyKeyFor,
  outboxWriter,
  pgListenWakeups,
  poolTransactionRunner,
  runSagaRecoverer,
  SagaOrchestrator,
  startSagaParticipant,
  startSagaReplyConsumer,
  writeOutbox,
  type IdempotentProducer,
  type SagaCommandEnvelope,
  type SagaCommandHandler,
  type SagaDefinition,
  type SagaReply,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import { endpoint, libraryVersion, runContext, writeResults } from '../lib/results';
import { percentile } from '../lib/stats';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const databaseUrl = arg('database') ?? endpoint('DATABASE_URL');
const brokers = arg('brokers') ?? endpoint('KAFKA_BROKERS');

const MESSAGES = Number(arg('messages') ?? 5_000);
const VALUE_BYTES = Number(arg('value-bytes') ?? 512);
const KEYS = 100;
const PARTITIONS = 3;
// The relay's default batch size first; the larger one shows how the ratio moves with it.
const BATCHES = [100, 500];
const BATCH = 100;
const ROUNDS = Number(arg('rounds') ?? 5);
const LATENCY_SAMPLES = Number(arg('latency-samples') ?? 150);
// Mean gap between latency writes; uniform in [0, 2 × mean], so commits land at every phase
// of the relay's idle sleep.
const LATENCY_GAP_MS = 20;
const SAGAS = Number(arg('sagas') ?? 60);
const SAGA_CONCURRENCY = 3;
// Partitions the orchestrator's reply consumer applies at once (kafkajs
// partitionsConsumedConcurrently); each partition's replies stay in order.
const REPLY_CONCURRENCY = Number(arg('reply-concurrency') ?? 1);
// One part only (throughput, latency or saga): printed, no results file written.
const ONLY = arg('only');
// Relay wait settings: wake-ups (LISTEN/NOTIFY, idle delay 200 ms as the safety net) first,
// then plain polling at each idle delay.
interface WaitSetting {
  idleDelayMs: number;
  wakeups: boolean;
}
const WAITS: WaitSetting[] = [
  { idleDelayMs: 200, wakeups: true },
  { idleDelayMs: 200, wakeups: false },
  { idleDelayMs: 50, wakeups: false },
  { idleDelayMs: 5, wakeups: false },
  { idleDelayMs: 1, wakeups: false },
];
const waitLabel = (w: WaitSetting) =>
  w.wakeups
    ? `wake-ups (idle delay ${w.idleDelayMs} ms)`
    : `${w.idleDelayMs} ms${w.idleDelayMs === 200 ? ' (default)' : ''}`;
// Every wait below ends by this deadline; a stuck phase fails the run instead of hanging.
const PHASE_DEADLINE_MS = 45_000;

const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const now = () => performance.now();
const kafka = new Kafka({
  clientId: `agreement-bench-${runId}`,
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
const cleanups: (() => Promise<unknown>)[] = [];

// Nearest-rank percentile of milliseconds, q in 0..1.
function pct(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  return percentile(
    [...values].sort((a, b) => a - b),
    q * 100,
  );
}
const median = (values: readonly number[]) => pct(values, 0.5);
const ms = (value: number) => value.toFixed(1);
const range = (values: readonly number[], digits = 2) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  deadlineMs = PHASE_DEADLINE_MS,
) {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const poolUrls = new Map<Pool, string>();
async function scratchDatabase(role: string): Promise<Pool> {
  const name = `bench_agreement_${role}_${runId}`;
  const admin = new Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`create database ${name}`);
  const url = new URL(databaseUrl as string);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  poolUrls.set(pool, url.toString());
  // The forced drop at the end may cut an idle socket; that is not an error of the run.
  pool.on('error', () => undefined);
  cleanups.push(async () => {
    await pool.end();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  await applySuppressionMigrations(pool);
  await applyOutboxMigrations(pool);
  return pool;
}

async function scratchTopics(names: string[]): Promise<string[]> {
  const topics = names.map((n) => `bench.agreement.${n}.${runId}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
  cleanups.push(async () => {
    await admin.deleteTopics({ topics });
    await admin.disconnect();
  });
  return topics;
}

async function consumerOf(
  topic: string,
  onMessage: (message: { headers: Record<string, string>; value: string }) => void,
): Promise<Consumer> {
  const groupId = `${topic}-reader`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      onMessage({ headers, value: message.value?.toString() ?? '' });
    },
  });
  trackGroup(consumer, groupId);
  return consumer;
}

// Consumers are stopped before topics are deleted, and their groups removed with them.
const groups: { consumer: Consumer; groupId: string }[] = [];
function trackGroup(consumer: Consumer, groupId: string) {
  groups.push({ consumer, groupId });
}

// ---------------------------------------------------------------------------------------------
// 1. Throughput

interface ThroughputRound {
  batch: number;
  // Share of the relay's drain spent waiting on the broker's acks; the rest is Postgres.
  sendShare: number;
  baselinePerSecond: number;
  relayPerSecond: number;
  writePerSecond: number;
  relayBatches: number;
}

function messagesFor(round: number): Message[] {
  const value = 'x'.repeat(VALUE_BYTES);
  // Same headers as the relay adds (message-id uuid, outbox-id), so both sides put the
  // same bytes on the wire.
  return Array.from({ length: MESSAGES }, (_, i) => ({
    key: `key-${i % KEYS}`,
    value,
    headers: { 'message-id': randomUUID(), 'outbox-id': String(round * MESSAGES + i) },
  }));
}

async function baselineOnce(
  producer: Producer,
  topic: string,
  messages: Message[],
  batch: number,
): Promise<number> {
  const started = now();
  for (let i = 0; i < messages.length; i += batch) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batch) });
  }
  return (messages.length / (now() - started)) * 1_000;
}

async function fillOutbox(pool: Pool, tx: TransactionRunner, topic: string, messages: Message[]) {
  await pool.query('truncate outbox_messages');
  const started = now();
  // 100 rows per domain transaction; the write cost is reported apart from the drain.
  for (let i = 0; i < messages.length; i += 100) {
    await tx.inTransaction(async (sql) => {
      for (const m of messages.slice(i, i + 100)) {
        await writeOutbox(sql, topic, { key: String(m.key), value: String(m.value) });
      }
    });
  }
  const writePerSecond = (messages.length / (now() - started)) * 1_000;
  // A production table has statistics from autovacuum; a freshly filled one does not yet.
  await pool.query('analyze outbox_messages');
  return writePerSecond;
}

async function relayOnce(relay: OutboxRelay): Promise<{ perSecond: number; batches: number }> {
  const started = now();
  const result = await relay.drain(10 * MESSAGES);
  const elapsed = now() - started;
  if (!result.idle || result.published !== MESSAGES) {
    throw new Error(`relay drained ${result.published} of ${MESSAGES} rows`);
  }
  return { perSecond: (result.published / elapsed) * 1_000, batches: result.batches };
}

async function throughput(
  pool: Pool,
  topic: string,
  idempotent: IdempotentProducer,
  plain: Producer,
) {
  const tx = poolTransactionRunner(pool);
  let sendMs = 0;
  const timedProducer = {
    send: async (t: string, m: Parameters<IdempotentProducer['send']>[1]) => {
      const started = now();
      await idempotent.send(t, m);
      sendMs += now() - started;
    },
  };
  const rounds: ThroughputRound[] = [];
  for (const batch of BATCHES) {
    const relay = new OutboxRelay(tx, timedProducer, { batchSize: batch });
    // Warm-up: connections, metadata, JIT, query plans.
    const warm = messagesFor(0).slice(0, 1_000);
    await baselineOnce(plain, topic, warm, batch);
    await fillOutbox(pool, tx, topic, warm);
    await relay.drain(1_000);

    for (let round = 0; round < ROUNDS; round++) {
      const messages = messagesFor(round + 1);
      const writePerSecond = await fillOutbox(pool, tx, topic, messages);
      // Alternate which side goes first, so neither always meets a warmer broker.
      let baselinePerSecond: number;
      let relayed: { perSecond: number; batches: number };
      sendMs = 0;
      if (round % 2 === 0) {
        baselinePerSecond = await baselineOnce(plain, topic, messages, batch);
        relayed = await relayOnce(relay);
      } else {
        relayed = await relayOnce(relay);
        baselinePerSecond = await baselineOnce(plain, topic, messages, batch);
      }
      rounds.push({
        batch,
        sendShare: sendMs / ((MESSAGES / relayed.perSecond) * 1_000),
        baselinePerSecond,
        relayPerSecond: relayed.perSecond,
        writePerSecond,
        relayBatches: relayed.batches,
      });
      console.log(
        `throughput batch ${batch} round ${round + 1}: plain ${Math.round(baselinePerSecond)}/s, relay ${Math.round(relayed.perSecond)}/s (${relayed.batches} batches), ratio ${(relayed.perSecond / baselinePerSecond).toFixed(2)}, outbox writes ${Math.round(writePerSecond)}/s`,
      );
    }
  }
  return rounds;
}

// ---------------------------------------------------------------------------------------------
// 2. Commit-to-publish latency

interface LatencyResult {
  wait: WaitSetting;
  toAck: number[];
  toConsumer: number[];
}

async function commitToPublish(pool: Pool, topic: string, idempotent: IdempotentProducer) {
  const tx = poolTransactionRunner(pool);
  await pool.query('truncate outbox_messages');
  await pool.query('create table if not exists bench_orders (id text primary key)');
  const committedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const consumer = await consumerOf(topic, ({ headers }) => {
    const id = headers['outbox-id'];
    if (id !== undefined && !receivedAt.has(id)) receivedAt.set(id, now());
  });

  const results: LatencyResult[] = [];
  let seq = 0;
  const writeOne = async () => {
    const order = `o-${runId}-${seq++}`;
    const row = await tx.inTransaction(async (sql: SqlExecutor) => {
      await sql.query('insert into bench_orders (id) values ($1)', [order]);
      return writeOutbox(
        sql,
        topic,
        { key: order, value: JSON.stringify({ event: 'OrderPlaced', order }) },
        { wakeup: true },
      );
    });
    committedAt.set(row.id, now());
    return row.id;
  };

  // Writers always notify; only the relays with wake-ups listen.
  const wakeups = await pgListenWakeups(poolUrls.get(pool) as string, { shard: 0 });
  for (const [i, wait] of [WAITS[1] as WaitSetting, ...WAITS].entries()) {
    // The first pass is the warm-up: it waits for the consumer to join its group and is
    // not reported.
    const delay = i === 0 ? 50 : wait.idleDelayMs;
    const stop = new AbortController();
    const relay = new OutboxRelay(tx, idempotent, {
      batchSize: BATCH,
      ...(wait.wakeups && i > 0 ? { wakeups } : {}),
      onPublished: ({ ids }) => {
        const t = now();
        for (const id of ids) if (!ackedAt.has(id)) ackedAt.set(id, t);
      },
    });
    const running = relay.run(stop.signal, { idleDelayMs: delay });
    const ids: string[] = [];
    const count = i === 0 ? 5 : LATENCY_SAMPLES;
    const deadline = Date.now() + PHASE_DEADLINE_MS;
    for (let n = 0; n < count && Date.now() < deadline; n++) {
      ids.push(await writeOne());
      await sleep(Math.random() * 2 * LATENCY_GAP_MS);
    }
    await until('latency messages to reach the consumer', () =>
      ids.every((id) => receivedAt.has(id)),
    );
    stop.abort();
    await running;
    if (i === 0) continue;
    const toAck = ids.map((id) => (ackedAt.get(id) as number) - (committedAt.get(id) as number));
    const toConsumer = ids.map(
      (id) => (receivedAt.get(id) as number) - (committedAt.get(id) as number),
    );
    results.push({ wait, toAck, toConsumer });
    console.log(
      `commit-to-publish, ${waitLabel(wait)}: ack p50 ${ms(pct(toAck, 0.5))} p99 ${ms(pct(toAck, 0.99))}; consumer p50 ${ms(pct(toConsumer, 0.5))} p99 ${ms(pct(toConsumer, 0.99))} ms (${ids.length} samples)`,
    );
  }
  await consumer.stop();
  await wakeups.close();
  return results;
}

// ---------------------------------------------------------------------------------------------
// 3. Saga step overhead

const STEPS = ['reserve', 'charge', 'confirm'] as const;
const STEP_TYPE: Record<string, string> = {
  reserve: 'Reserve',
  charge: 'Charge',
  confirm: 'Confirm',
};

interface StepTiming {
  total: number; // command write -> reply committed at the orchestrator
  handler: number; // the participant handler's own time (subtracted)
  outbound: number; // command write -> handler start
  inbound: number; // handler end -> reply committed
  // Where outbound and inbound go, in order; they add up to them.
  segments: Record<SegmentName, number>;
}

// The legs of one step, each from the end of the one before it.
const SEGMENTS = [
  ['commandCommit', 'command written -> its transaction committed'],
  ['commandClaim', 'commit -> relay sends the command (wake-up, claim)'],
  ['commandSend', 'send -> broker ack'],
  ['commandFetch', 'ack -> participant transaction begins (consumer fetch)'],
  ['commandInbox', 'begin -> handler starts (inbox)'],
  ['replyCommit', 'handler ends -> participant commit (reply to the outbox)'],
  ['replyClaim', 'commit -> relay sends the reply (wake-up, claim)'],
  ['replySend', 'send -> broker ack'],
  ['replyFetch', 'ack -> orchestrator transaction begins (consumer fetch)'],
  ['replyApply', 'begin -> reply applied and committed (inbox, saga row, next command)'],
] as const;
type SegmentName = (typeof SEGMENTS)[number][0];

interface SagaResult {
  wait: WaitSetting;
  steps: StepTiming[];
  perSaga: number[];
}

async function sagaOverhead(
  orchPool: Pool,
  partPool: Pool,
  commandTopic: string,
  replyTopic: string,
) {
  await applySagaMigrations(orchPool);
  const pooledOrchTx = poolTransactionRunner(orchPool);
  const partTx = poolTransactionRunner(partPool);

  const definition: SagaDefinition<Record<string, unknown>> = {
    type: 'bench',
    replyTopic,
    steps: STEPS.map((name) => ({
      name,
      action: () => ({ topic: commandTopic, type: STEP_TYPE[name] as string, payload: {} }),
      compensation: () => ({ topic: commandTopic, type: `Undo${STEP_TYPE[name]}`, payload: {} }),
      // Far above any step here: a timeout would add a retry and spoil the sample.
      timeoutMs: 30_000,
      retry: { maxAttempts: 1, initialBackoffMs: 100, maxBackoffMs: 100 },
    })),
  };

  const writtenAt = new Map<string, number>();
  const handlerSpan = new Map<string, { start: number; end: number }>();
  const appliedAt = new Map<string, number>();
  const sagaStarted = new Map<string, number>();
  const sagaDone = new Map<string, number>();
  // Per step key: the moments between write and applied, for the breakdown.
  const commandCommitted = new Map<string, number>();
  const sendSpan = new Map<string, { start: number; end: number }>();
  const partBegan = new Map<string, number>();
  const partCommitted = new Map<string, number>();
  const replyBegan = new Map<string, number>();

  // The command's write time is taken as the orchestrator hands the statement that writes it
  // to Postgres, inside the transaction that changes the saga's state (start or the previous
  // step's reply): the outbox row is that statement, or a part of it (the orchestrator
  // writes a decision's state, history and command in one statement).
  const orchTx: TransactionRunner = {
    inTransaction: (work) =>
      pooledOrchTx.inTransaction((sql) =>
        work({
          query: (text, params) => {
            if (text.includes('insert into outbox_messages')) {
              for (const param of params ?? []) {
                if (typeof param !== 'string' || !param.includes('"idempotencyKey"')) continue;
                writtenAt.set((JSON.parse(param) as SagaCommandEnvelope).idempotencyKey, now());
              }
            }
            return sql.query(text, params);
          },
        }),
      ),
  };
  const outbox = outboxWriter({ wakeup: true });
  // When the reply transaction at hand began (several may be open, one per partition
  // consumed at once), and the reply each saga last applied: a saga has one step in flight,
  // so the post-commit hook, told the saga, knows which step closed.
  const replyTxBegan = new AsyncLocalStorage<number>();
  const lastReply = new Map<string, SagaReply>();
  let partTxBegan = 0;
  let partHandling: string | undefined;
  class TimedOrchestrator extends SagaOrchestrator {
    override async handleReplyOnce(
      sql: SqlExecutor,
      inboxConsumer: string,
      messageId: string,
      reply: SagaReply,
      guarded: boolean,
    ) {
      replyBegan.set(
        idempotencyKeyFor(reply.sagaId, reply.step, reply.phase),
        replyTxBegan.getStore() ?? now(),
      );
      const result = await super.handleReplyOnce(sql, inboxConsumer, messageId, reply, guarded);
      lastReply.set(reply.sagaId, reply);
      return result;
    }
  }
  const orchestrator = new TimedOrchestrator({ tx: orchTx, outbox }).register(definition);
  const replyTx: TransactionRunner = {
    inTransaction: (work) => replyTxBegan.run(now(), () => orchTx.inTransaction(work)),
  };
  const participantTx: TransactionRunner = {
    inTransaction: async (work) => {
      partTxBegan = now();
      partHandling = undefined;
      const result = await partTx.inTransaction(work);
      if (partHandling !== undefined) partCommitted.set(partHandling, now());
      return result;
    },
  };

  const handler: SagaCommandHandler = async (_tx, command) => {
    const start = now();
    partHandling = command.idempotencyKey;
    partBegan.set(command.idempotencyKey, partTxBegan);
    // Trivial participant work: the figure is the mechanism's cost, not the step's.
    const outcome = { outcome: 'succeeded' as const };
    handlerSpan.set(command.idempotencyKey, { start, end: now() });
    return outcome;
  };

  const stopAll = new AbortController();
  const participant = await startSagaParticipant({
    kafka,
    groupId: `${commandTopic}-participant`,
    topic: commandTopic,
    tx: participantTx,
    inboxConsumer: 'bench-participant',
    outbox: { wakeup: true },
    handlers: Object.fromEntries(
      STEPS.flatMap((s) => [STEP_TYPE[s] as string, `Undo${STEP_TYPE[s]}`]).map((t) => [
        t,
        handler,
      ]),
    ),
    sessionTimeout: 6_000,
  });
  trackGroup(participant, `${commandTopic}-participant`);
  const replies = await startSagaReplyConsumer({
    kafka,
    groupId: `${replyTopic}-orchestrator`,
    topic: replyTopic,
    tx: replyTx,
    inboxConsumer: 'bench-orchestrator',
    orchestrator,
    sessionTimeout: 6_000,
    partitionsConsumedConcurrently: REPLY_CONCURRENCY,
    onApplied: (result, { sagaId }) => {
      const reply = lastReply.get(sagaId);
      if (!result.applied || !reply) return;
      const t = now();
      appliedAt.set(idempotencyKeyFor(reply.sagaId, reply.step, reply.phase), t);
      // The next step's command was written in this transaction.
      const next = STEPS[STEPS.indexOf(reply.step as (typeof STEPS)[number]) + 1];
      if (next) commandCommitted.set(idempotencyKeyFor(reply.sagaId, next, 'action'), t);
      if (reply.step === STEPS[STEPS.length - 1]) sagaDone.set(reply.sagaId, t);
    },
  });
  trackGroup(replies, `${replyTopic}-orchestrator`);
  // The recoverer runs as in production; with these timeouts it finds nothing due.
  const recovering = runSagaRecoverer(orchestrator, stopAll.signal);

  const orchKafka = createIdempotentProducer(kafka);
  const partKafka = createIdempotentProducer(kafka);
  await orchKafka.connect();
  await partKafka.connect();
  // Records when each command or reply was handed to the producer and acknowledged.
  const timedSend =
    (producer: IdempotentProducer, keyOf: (value: string) => string) =>
    async (topic: string, messages: Parameters<IdempotentProducer['send']>[1]) => {
      const start = now();
      await producer.send(topic, messages);
      const end = now();
      for (const m of messages) sendSpan.set(keyOf(m.value), { start, end });
    };
  const orchProducer = {
    send: timedSend(orchKafka, (v) => (JSON.parse(v) as SagaCommandEnvelope).idempotencyKey),
  };
  const partProducer = {
    send: timedSend(partKafka, (v) => {
      const reply = JSON.parse(v) as SagaReply;
      return `${idempotencyKeyFor(reply.sagaId, reply.step, reply.phase)}#reply`;
    }),
  };

  const runSagas = async (ids: string[]) => {
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        sagaStarted.set(id, now());
        await orchestrator.start('bench', id, {});
        commandCommitted.set(idempotencyKeyFor(id, STEPS[0], 'action'), now());
        await until(`saga ${id} to complete`, () => sagaDone.has(id));
      }
    };
    await Promise.all(Array.from({ length: SAGA_CONCURRENCY }, lane));
  };

  const orchWakeups = await pgListenWakeups(poolUrls.get(orchPool) as string, { shard: 0 });
  const partWakeups = await pgListenWakeups(poolUrls.get(partPool) as string, { shard: 0 });
  const results: SagaResult[] = [];
  // --saga-waits wakeups: only the warm-up and the wake-ups setting (a probe).
  const sagaWaits = arg('saga-waits') === 'wakeups' ? WAITS.filter((w) => w.wakeups) : WAITS;
  for (const [i, wait] of [WAITS[1] as WaitSetting, ...sagaWaits].entries()) {
    const delay = i === 0 ? 50 : wait.idleDelayMs;
    const listen = wait.wakeups && i > 0;
    const stop = new AbortController();
    const relays = [
      new OutboxRelay(orchTx, orchProducer, {
        batchSize: BATCH,
        ...(listen ? { wakeups: orchWakeups } : {}),
      }).run(stop.signal, { idleDelayMs: delay }),
      new OutboxRelay(partTx, partProducer, {
        batchSize: BATCH,
        ...(listen ? { wakeups: partWakeups } : {}),
      }).run(stop.signal, { idleDelayMs: delay }),
    ];
    // The first pass warms up (both consumers join their groups) and is not reported.
    const ids = Array.from(
      { length: i === 0 ? SAGA_CONCURRENCY : SAGAS },
      (_, n) => `saga-${i}-${n}`,
    );
    await runSagas(ids);
    stop.abort();
    await Promise.all(relays);
    if (i === 0) continue;
    const steps: StepTiming[] = ids.flatMap((id) =>
      STEPS.map((step) => {
        const key = idempotencyKeyFor(id, step, 'action');
        const span = handlerSpan.get(key) as { start: number; end: number };
        const written = writtenAt.get(key) as number;
        const applied = appliedAt.get(key) as number;
        const at = <T>(map: Map<string, T>, k: string) => {
          const value = map.get(k);
          if (value === undefined) throw new Error(`no timing for ${k}`);
          return value;
        };
        const command = at(sendSpan, key);
        const reply = at(sendSpan, `${key}#reply`);
        // Each leg ends where the next begins.
        const marks = [
          written,
          at(commandCommitted, key),
          command.start,
          command.end,
          at(partBegan, key),
          span.start,
          span.end,
          at(partCommitted, key),
          reply.start,
          reply.end,
          at(replyBegan, key),
          applied,
        ];
        const legs = marks.slice(1).map((m, n) => m - (marks[n] as number));
        // The handler's own span (start -> end) is not a leg of the overhead.
        legs.splice(5, 1);
        const segments = Object.fromEntries(
          SEGMENTS.map(([name], n) => [name, legs[n] as number]),
        ) as Record<SegmentName, number>;
        return {
          total: applied - written - (span.end - span.start),
          handler: span.end - span.start,
          outbound: span.start - written,
          inbound: applied - span.end,
          segments,
        };
      }),
    );
    const perSaga = ids.map((id) => (sagaDone.get(id) as number) - (sagaStarted.get(id) as number));
    results.push({ wait, steps, perSaga });
    const totals = steps.map((s) => s.total);
    console.log(
      `saga step overhead, ${waitLabel(wait)}: p50 ${ms(pct(totals, 0.5))} p99 ${ms(pct(totals, 0.99))} ms (${steps.length} steps); saga p50 ${ms(pct(perSaga, 0.5))} ms`,
    );
  }

  stopAll.abort();
  await recovering;
  await participant.stop();
  await replies.stop();
  await orchKafka.disconnect();
  await partKafka.disconnect();
  await orchWakeups.close();
  await partWakeups.close();
  return results;
}

// ---------------------------------------------------------------------------------------------

// Where a step's overhead goes with wake-ups, leg by leg (medians and p99 of each leg, so
// they do not add up to the step's percentiles).
function stepBreakdown(sagas: SagaResult[]): string[] {
  const woken = sagas.find((s) => s.wait.wakeups);
  if (!woken) return [];
  const rows = SEGMENTS.map(([name, label], n) => {
    const values = woken.steps.map((t) => t.segments[name]);
    const side = n < 5 ? 'outbound' : 'inbound';
    return `| ${side} | ${label} | ${ms(pct(values, 0.5))} / ${ms(pct(values, 0.99))} |`;
  });
  return [
    `Where a step goes with ${waitLabel(woken.wait)}, leg by leg in order (each leg's own p50 / p99, so they do not add up to the step's):`,
    '',
    '| side | leg | p50 / p99 ms |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ];
}

async function main() {
  const startedAt = Date.now();
  const [throughputTopic, latencyTopic, commandTopic, replyTopic] = await scratchTopics([
    'throughput',
    'latency',
    'commands',
    'replies',
  ]);
  const outboxPool = await scratchDatabase('outbox');
  const orchPool = await scratchDatabase('orch');
  const partPool = await scratchDatabase('part');

  const idempotent = createIdempotentProducer(kafka);
  // The baseline: kafkajs defaults (not idempotent, several requests in flight allowed),
  // with acks=-1 on every send, like the relay.
  const plain = kafka.producer({ allowAutoTopicCreation: false });
  await idempotent.connect();
  await plain.connect();
  cleanups.push(
    () => idempotent.disconnect(),
    () => plain.disconnect(),
  );

  const runs = (part: string) => ONLY === undefined || ONLY === part;
  const rounds = runs('throughput')
    ? await throughput(outboxPool, throughputTopic as string, idempotent, plain)
    : [];
  const latency = runs('latency')
    ? await commitToPublish(outboxPool, latencyTopic as string, idempotent)
    : [];
  const sagas = runs('saga')
    ? await sagaOverhead(orchPool, partPool, commandTopic as string, replyTopic as string)
    : [];
  const elapsedS = (Date.now() - startedAt) / 1_000;

  const ratiosAt = (batch: number) =>
    rounds.filter((r) => r.batch === batch).map((r) => r.relayPerSecond / r.baselinePerSecond);
  const ratios = ratiosAt(BATCH);
  const throughputRows = BATCHES.flatMap((batch) => {
    const at = rounds.filter((r) => r.batch === batch);
    const perSecond = (f: (r: ThroughputRound) => number) =>
      `${Math.round(median(at.map(f)))} (${range(at.map(f), 0)})`;
    return [
      `| ${batch}${batch === BATCH ? ' (relay default)' : ''} | ${perSecond((r) => r.baselinePerSecond)} | ${perSecond((r) => r.relayPerSecond)} | **${median(ratiosAt(batch)).toFixed(2)}×** (${range(ratiosAt(batch))}) | ${(median(at.map((r) => r.sendShare)) * 100).toFixed(0)}% | ${perSecond((r) => r.writePerSecond)} |`,
    ];
  });
  const pgVersion =
    (await outboxPool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]
      ?.v ?? 'unknown';
  const setting = async (name: string) =>
    (
      await outboxPool.query<{ setting: string }>(
        'select setting from pg_settings where name = $1',
        [name],
      )
    ).rows[0]?.setting ?? 'unknown';
  const durability = `fsync ${await setting('fsync')}, synchronous_commit ${await setting('synchronous_commit')}`;
  const report = [
    '# Agreement: outbox throughput, commit-to-publish latency, saga step overhead',
    '',
    runContext(),
    `- Postgres ${pgVersion} and one Kafka broker (kafkajs ${libraryVersion('kafkajs')}, pg ${libraryVersion('pg')}) on the same machine, loopback; scratch databases and topics (${PARTITIONS} partitions, replication 1) made for the run and removed after it`,
    `- Postgres durability as the local stack runs it: ${durability} (commits cost less than on a production server)`,
    `- run time: ${elapsedS.toFixed(0)} s`,
    '',
    '## Outbox to Kafka throughput',
    '',
    `${MESSAGES} messages per side per round, ${VALUE_BYTES}-byte values, ${KEYS} keys, headers message-id (uuid) and outbox-id on both sides, one topic of ${PARTITIONS} partitions, batches of the size shown sent one after the other with acks=-1. Relay: \`OutboxRelay\` (batchSize as shown) with \`createIdempotentProducer\` (idempotent, 1 request in flight) draining rows already committed (\`drain()\`, pipelined: up to three batches in flight (the relay's default pipelineDepth), each sent on the previous one's ack); the outbox write is timed apart. Plain: \`kafka.producer()\` with kafkajs defaults; its several requests in flight never come into play, since each send is awaited before the next, as the relay's sends are. ${ROUNDS} rounds after a warm-up, which side goes first alternating; the ratio is paired per round, then the median and range.`,
    '',
    '| batch size (both sides) | plain producer, msg/s median (range) | outbox relay, msg/s median (range) | ratio relay / plain, median (range) | relay time waiting on Kafka acks | outbox writes, rows/s (100 rows per transaction, apart) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...throughputRows,
    '',
    '## Commit-to-publish latency',
    '',
    `One row per domain transaction (an insert into a domain table, then \`writeOutbox\`), ${LATENCY_SAMPLES} transactions per setting, gaps uniform in 0–${2 * LATENCY_GAP_MS} ms. The relay runs its \`run()\` loop with the wait shown (batchSize ${BATCH}); every write NOTIFYs, and with wake-ups the relay LISTENs. From the resolution of COMMIT to: the broker's ack of the batch (the relay's \`onPublished\`, before the rows are marked), and a kafkajs consumer's \`eachMessage\` (maxWaitTimeInMs 100). A row committed while the relay sleeps waits for the rest of the sleep, so the idle delay bounds the wait it adds at one delay plus one batch.`,
    '',
    '| relay wait | to broker ack p50 / p99 ms | to consumer p50 / p99 ms |',
    '| --- | --- | --- |',
    ...latency.map(
      (l) =>
        `| ${waitLabel(l.wait)} | ${ms(pct(l.toAck, 0.5))} / ${ms(pct(l.toAck, 0.99))} | ${ms(pct(l.toConsumer, 0.5))} / ${ms(pct(l.toConsumer, 0.99))} |`,
    ),
    '',
    '## Saga step overhead',
    '',
    `A 3-step saga with trivial participant handlers, ${SAGAS} sagas per setting, ${SAGA_CONCURRENCY} at a time. Orchestrator: \`SagaOrchestrator\` on its own database, its \`OutboxRelay\`, \`startSagaReplyConsumer\` and \`runSagaRecoverer\`. Participant: \`startSagaParticipant\` on a second database with its own relay (the reply goes back through its outbox). Both relays use the wait shown; every outbox write (command and reply) NOTIFYs in its transaction, and with wake-ups each relay LISTENs on its own connection. Per step: from the orchestrator handing Postgres the statement that writes the command to the outbox (in the state-changing transaction) to the commit of the transaction that applied the reply, minus the handler's own time. Outbound = command write to handler start; inbound = handler end to reply applied.`,
    '',
    '| relay wait | step overhead p50 / p99 ms | outbound p50 / p99 ms | inbound p50 / p99 ms | handler p99 ms | whole saga p50 / p99 ms |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sagas.map((s) => {
      const pick = (f: (t: StepTiming) => number) => s.steps.map(f);
      const pp = (v: number[]) => `${ms(pct(v, 0.5))} / ${ms(pct(v, 0.99))}`;
      return `| ${waitLabel(s.wait)} | **${pp(pick((t) => t.total))}** | ${pp(pick((t) => t.outbound))} | ${pp(pick((t) => t.inbound))} | ${ms(
        pct(
          pick((t) => t.handler),
          0.99,
        ),
      )} | ${pp(s.perSaga)} |`;
    }),
    '',
    ...stepBreakdown(sagas),
    'Reproduce: `npm run bench:agreement`',
    '',
  ].join('\n');

  // One part alone is a probe, not a result: printed, not recorded.
  if (ONLY !== undefined) {
    console.log(report);
    return;
  }
  const file = writeResults('agreement', report);
  for (const batch of BATCHES)
    console.log(
      `throughput ratio relay/plain at batch ${batch}: median ${median(ratiosAt(batch)).toFixed(2)} (${range(ratiosAt(batch))})`,
    );
  console.log(
    `throughput ratio relay/plain at the default batch: median ${median(ratios).toFixed(2)} (${range(ratios)})`,
  );
  console.log(`written ${file}`);
}

async function cleanup() {
  for (const { consumer } of groups) await consumer.disconnect().catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups.map((g) => g.groupId)).catch(() => undefined);
  await admin.disconnect();
  for (const step of cleanups.reverse()) {
    await step().catch((error: unknown) => console.error('cleanup:', error));
  }
}

// A hung broker or database must not keep the run alive past its budget.
const watchdog = setTimeout(() => {
  console.error('agreement bench: over 5 minutes, giving up');
  void cleanup().finally(() => process.exit(2));
}, 300_000);
watchdog.unref();

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    clearTimeout(watchdog);
  });
