// Checkout under the flash sale (issue 14, item 4): the demo's load through the gateway, timed
// to a terminal answer. Buyers, seats, concurrency, abandon rate and the PSP's decline rate are
// the demo's (2,000 buyers, 500 seats, 64 at a time, 10% walk away, 10% of cards declined).
// Each buyer takes a token, tries to hold 1 to 3 seats (three tries), then checks out; a
// checkout answered 202 is polled every POLL_MS (200 ms, as the demo's buyers do) until its
// order is terminal. Reported:
//   - the checkout POST's latency and status mix (201/200 terminal, 202 still pending);
//   - the time to a terminal answer: from sending the POST to the first answer (the POST's
//     own, or a poll's) that says completed or failed;
//   - the sagas as the database saw them: created to terminal, and each step from its
//     command to its reply (saga_history), so where a checkout spends its time is visible;
//   - every verifier of the demo (no seat sold twice, no money kept without tickets, every
//     saga completed or compensated).
// Not a test: it starts gateway, ticketing, payments, the PSP simulator and auction on empty
// databases (hold the stack lock), stops them at the end, and appends a section to
// load-tests/results/checkout-<date>.md.
//
//   npm run bench:checkout -- [--buyers 2000] [--seats 500] [--concurrency 64] [--label text]
//     [--set ticketing.NAME=value ...]
//
// With --saga-steps it measures instead the overhead of a saga step that the orchestrator
// runs in-process (SagaOrchestrator.drive, a local participant): the library goal of issue 14
// (step overhead p99 <= 10 ms), beside the Kafka round trip that bench:agreement measures. A
// 3-step saga with trivial handlers on a scratch database, the commands written to the
// outbox as in production; per step, from the commit that sent the command to the commit
// that applied its reply, minus the handler's own time. No services; prints a section.
//
//   npm run bench:checkout -- --saga-steps [--sagas 60]
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCOPES, TOPICS, type ServiceName } from '@suite/contracts';
import {
  applyOutboxMigrations,
  applySagaMigrations,
  applySuppressionMigrations,
  outboxWriter,
  poolTransactionRunner,
  SagaOrchestrator,
  type SagaCommandHandler,
  type SagaDefinition,
  type TransactionRunner,
} from '@suite/coordination';
import { Pool } from 'pg';
import {
  ENDPOINTS_FILE,
  parseEndpointsFile,
  stackTokens,
  startServices,
  stopServices,
} from '@suite/testing';
import { GatewayClient } from '../lib/gateway-client';
import { runContext, workspaceRoot, writeResults } from '../lib/results';
import { RetryAfter } from '../lib/retry-after';
import { firstEvent, seatIds } from '../lib/seed-data';
import { percentile } from '../lib/stats';
import { totalOf, verifyRun, withRunDatabases } from '../lib/verify-run';

type ServiceOverrides = Partial<Record<ServiceName, Record<string, string>>>;

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const BUYERS = Number(arg('buyers') ?? 2_000);
const SEATS = Number(arg('seats') ?? 500);
const CONCURRENCY = Number(arg('concurrency') ?? 64);
const LABEL = arg('label') ?? 'run';
const ABANDON_RATE = 0.1;
const DECLINE_RATE = 0.1;
// The demo's buyers poll every 200 ms; polling faster would add load the demo does not have.
const POLL_MS = 200;
// How long after the sale Postgres' counts are read: its idle backends' flush interval.
const STATS_FLUSH_MS = 11_000;
const DEADLINE_MS = 240_000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'compensated', 'needs-attention']);
const SERVICES: ServiceName[] = ['psp-simulator', 'payments', 'ticketing', 'auction', 'gateway'];
// A buyer told 429 by the hold admission waits its Retry-After and tries again, this often.
const BUSY_RETRIES = 5;
let holdsRefusedBusy = 0;

// The demo's overrides, then any --set service.NAME=value (to compare settings).
function overrides(): ServiceOverrides {
  const result: ServiceOverrides = {
    ticketing: { HOLD_TTL_MS: '8000', OUTBOX_IDLE_DELAY_MS: '20' },
  };
  process.argv.forEach((value, i) => {
    if (value !== '--set') return;
    const [key, setting] = (process.argv[i + 1] ?? '').split('=', 2);
    const [service, name] = (key ?? '').split('.', 2) as [ServiceName, string];
    if (!SERVICES.includes(service) || !name || setting === undefined) {
      throw new Error(`--set wants service.NAME=value, got ${process.argv[i + 1]}`);
    }
    result[service] = { ...(result[service] ?? {}), [name]: setting };
  });
  return result;
}

interface Checkout {
  // When the POST was sent (epoch ms) and the order it made, to find its saga's start.
  sentAt: number;
  orderId?: string;
  postMs: number;
  postStatus: number;
  terminalMs?: number;
  outcome: string;
}

interface OrderBody {
  orderId: string;
  status: string;
}

function pickSeats(pool: readonly string[]): string[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const start = Math.floor(Math.random() * Math.max(1, pool.length - count));
  return pool.slice(start, start + count);
}

async function buyer(
  client: GatewayClient,
  index: number,
  eventId: string,
  pool: readonly string[],
  deadline: number,
): Promise<Checkout | undefined> {
  const token = await client.token(`checkout-buyer-${index}`);
  let holdId: string | undefined;
  // Three tries at seats; a 429 (ticketing's hold admission is full) is retried after its
  // Retry-After, up to BUSY_RETRIES times in all, without using up a try.
  const retry = new RetryAfter({ retries: BUSY_RETRIES, maxWaitMs: 5_000 });
  for (let attempt = 0; attempt < 3 && !holdId; attempt++) {
    const hold = await retry.send(() =>
      client.call<{ holdId: string }>('hold', 'POST', '/holds', {
        token,
        body: { eventId, seatIds: pickSeats(pool) },
      }),
    );
    if (hold.status === 201) holdId = hold.body.holdId;
    else if (hold.status !== 409) break;
  }
  holdsRefusedBusy += retry.retries;
  if (!holdId || Math.random() < ABANDON_RATE) return undefined;
  const started = performance.now();
  const sentAt = Date.now();
  const first = await client.call<OrderBody>('checkout', 'POST', '/checkouts', {
    token,
    idempotencyKey: randomUUID(),
    body: { holdId, paymentSource: 'tok_visa' },
  });
  const checkout: Checkout = {
    sentAt,
    postMs: first.ms,
    postStatus: first.status,
    outcome: 'error',
  };
  if (![200, 201, 202].includes(first.status)) return checkout;
  checkout.orderId = first.body.orderId;
  let status = first.body.status;
  while (!TERMINAL.has(status) && Date.now() < deadline) {
    await sleep(POLL_MS);
    const polled = await client.call<OrderBody>(
      'order.poll',
      'GET',
      `/orders/${first.body.orderId}`,
      {
        token,
      },
    );
    if (polled.status === 200) status = polled.body.status;
  }
  if (TERMINAL.has(status)) checkout.terminalMs = performance.now() - started;
  checkout.outcome = TERMINAL.has(status) ? status : 'pending';
  return checkout;
}

// Where the capture step's time goes, from the rows each hop leaves: ticketing's outbox row
// of the command (written, published), payments' inbox row (the handler began), payments'
// outbox row of the reply (the handler ended; published), and the saga's history (the reply
// applied).
async function captureSegments(ticketing: Pool, payments: Pool): Promise<[string, number[]][]> {
  const ms = (d: Date | null) => (d ? d.getTime() : undefined);
  const { rows: sent } = await ticketing.query<{
    saga: string;
    written: Date;
    published: Date | null;
    applied: Date | null;
  }>(
    `select o.aggregate_key as saga, o.created_at as written, o.published_at as published,
            (select min(h.at) from saga_history h
              where h.saga_id = o.aggregate_key and h.step = 'capture-payment'
                and h.event in ('step-succeeded', 'step-failed', 'attempt-failed')) as applied
       from outbox_messages o
      where o.topic = $1 and o.payload like '%"phase":"action","attempt":1,%'`,
    [TOPICS.paymentsCommands],
  );
  const { rows: handled } = await payments.query<{ saga: string; began: Date }>(
    `select split_part(message_id, ':', 1) as saga, processed_at as began from inbox_messages
      where consumer = 'payments-commands' and message_id like '%:capture-payment#1'`,
  );
  const { rows: replied } = await payments.query<{
    saga: string;
    written: Date;
    published: Date | null;
  }>(
    `select distinct on (aggregate_key) aggregate_key as saga, created_at as written, published_at as published
       from outbox_messages where topic = $1 order by aggregate_key, id`,
    [TOPICS.ticketingReplies],
  );
  const began = new Map(handled.map((r) => [r.saga, ms(r.began)]));
  const reply = new Map(replied.map((r) => [r.saga, r]));
  const segments: [string, number[]][] = [
    ["ticketing's relay: command written to published", []],
    ["Kafka and payments' consumer queue: published to handler start", []],
    ['payments handler (idempotency, ledger, PSP call)', []],
    ["payments' relay: reply written to published", []],
    ["Kafka and ticketing's reply consumer: published to reply applied", []],
  ];
  const add = (i: number, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) segments[i]?.[1].push(to - from);
  };
  for (const row of sent) {
    const start = began.get(row.saga);
    const answer = reply.get(row.saga);
    add(0, ms(row.written), ms(row.published));
    add(1, ms(row.published), start);
    add(2, start, answer ? ms(answer.written) : undefined);
    add(3, answer ? ms(answer.written) : undefined, answer ? ms(answer.published) : undefined);
    add(4, answer ? ms(answer.published) : undefined, ms(row.applied));
  }
  return segments;
}

// Ticketing's own view of the sale from its /metrics: the event loop's delay (prom-client
// resets its histogram at every scrape, so a scrape at the start and one at the end give the
// sale's) and the CPU seconds it used. Lag there delays every reply it consumes.
async function ticketingLoad(
  port: number,
): Promise<{ lagP50: number; lagP99: number; cpuS: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => {
    // A sample line: the name, its labels if any, then the value.
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
  };
  return {
    lagP50: value('nodejs_eventloop_lag_p50_seconds') * 1000,
    lagP99: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    cpuS: value('process_cpu_seconds_total'),
  };
}

// Ticketing's database as Postgres counts it: transactions ended (an autocommit read is one)
// and index scans of saga_instances (each step's lock and save of its saga, each read of a
// waiting checkout, the recoverer's scan for due sagas). A backend that goes idle publishes
// its counts within 10 s (Postgres 15), so the reading after the sale waits that long.
async function ticketingDatabaseCounts(
  url: string,
): Promise<{ transactions: number; sagaLookups: number }> {
  const db = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await db.query<{ transactions: string; saga_lookups: string }>(
      `select (select xact_commit + xact_rollback from pg_stat_database
                where datname = current_database()) as transactions,
              (select coalesce(idx_scan, 0) from pg_stat_user_tables
                where relname = 'saga_instances') as saga_lookups`,
    );
    return {
      transactions: Number(rows[0]?.transactions ?? Number.NaN),
      sagaLookups: Number(rows[0]?.saga_lookups ?? Number.NaN),
    };
  } finally {
    await db.end();
  }
}

const fmt = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 99).toFixed(0)}`;
};
const tally = (values: string[]) =>
  Object.entries(
    values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {}),
  )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

async function main(): Promise<void> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  const settings = overrides();
  console.log(`starting ${SERVICES.join(', ')} on empty databases`);
  const ports = await startServices(SERVICES, { fresh: true, overrides: settings });
  try {
    const faults = await fetch(`http://127.0.0.1:${ports['psp-simulator']}/admin/faults`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(await stackTokens().bearer('bench-operator', [SCOPES.opsAdmin])),
      },
      body: JSON.stringify({ declineRate: DECLINE_RATE }),
    });
    if (!faults.ok) throw new Error(`the PSP's fault switch answered ${faults.status}`);
    const client = new GatewayClient(`http://127.0.0.1:${ports.gateway}`);
    const token = await client.token('checkout-operator');
    const event = await firstEvent(client, token);
    const pool = await seatIds(client, token, event.id, SEATS);

    console.log(`${BUYERS} buyers, ${pool.length} seats, ${CONCURRENCY} at a time`);
    const since = new Date();
    const loadBefore = await ticketingLoad(ports.ticketing);
    const ticketingUrl = infra['TICKETING_DATABASE_URL'] ?? '';
    const countsBefore = await ticketingDatabaseCounts(ticketingUrl);
    const started = Date.now();
    const deadline = started + DEADLINE_MS;
    const checkouts: Checkout[] = [];
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BUYERS && Date.now() < deadline) {
          const index = next++;
          try {
            const checkout = await buyer(client, index, event.id, pool, deadline);
            if (checkout) checkouts.push(checkout);
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const saleS = (Date.now() - started) / 1000;
    const loadAfter = await ticketingLoad(ports.ticketing);
    await sleep(STATS_FLUSH_MS);
    const countsAfter = await ticketingDatabaseCounts(ticketingUrl);
    const perCheckout = (n: number) => (checkouts.length === 0 ? 0 : n / checkouts.length);
    const transactions = countsAfter.transactions - countsBefore.transactions;
    const sagaLookups = countsAfter.sagaLookups - countsBefore.sagaLookups;
    const holds = client.timings.get('hold') ?? [];

    const section = await withRunDatabases(
      {
        ticketing: infra['TICKETING_DATABASE_URL'] ?? '',
        payments: infra['PAYMENTS_DATABASE_URL'] ?? '',
        psp: infra['PSP_SIMULATOR_DATABASE_URL'] ?? '',
        auction: infra['AUCTION_DATABASE_URL'] ?? '',
      },
      async (db) => {
        const verified = await verifyRun(db, {
          kafkaBrokers: (infra['KAFKA_BROKERS'] ?? '').split(','),
          since,
          settleDeadlineMs: 60_000,
          outboxSettleMs: 10_000,
          ticketPriceMinor: event.priceMinor,
        });
        const { rows: sagas } = await db.ticketing.query<{ ms: number }>(
          `select extract(epoch from updated_at - created_at) * 1000 as ms from saga_instances
            where status in ('completed', 'compensated', 'failed')`,
        );
        // Each step's attempt from its command (step-started, written in the transaction that
        // sent it) to the event that applied its reply.
        const { rows: steps } = await db.ticketing.query<{ step: string; ms: number }>(
          `select s.step, extract(epoch from min(e.at) - s.at) * 1000 as ms
             from saga_history s
             join saga_history e on e.saga_id = s.saga_id and e.step = s.step and e.id > s.id
              and e.event in ('step-succeeded', 'step-failed', 'attempt-failed', 'attempt-timed-out', 'step-gave-up')
            where s.event = 'step-started'
            group by s.saga_id, s.step, s.at`,
        );
        const byStep = new Map<string, number[]>();
        for (const r of steps) byStep.set(r.step, [...(byStep.get(r.step) ?? []), Number(r.ms)]);
        const capture = await captureSegments(db.ticketing, db.payments);
        // Before the saga: the gateway, ticketing's queue and the order's transaction (the
        // saga row is written in it, one clock with the load generator's).
        const { rows: created } = await db.ticketing.query<{ id: string; at: Date }>(
          'select id, created_at as at from saga_instances',
        );
        const createdAt = new Map(created.map((r) => [r.id, r.at.getTime()]));
        const beforeSaga = checkouts.flatMap((c) => {
          const at = c.orderId === undefined ? undefined : createdAt.get(c.orderId);
          return at === undefined ? [] : [at - c.sentAt];
        });
        const terminal = checkouts.flatMap((c) =>
          c.terminalMs === undefined ? [] : [c.terminalMs],
        );
        const violations = totalOf(verified.violations);
        const nonZero = Object.entries(verified.violations).filter(([, v]) => v !== 0);
        const lines = [
          `## ${LABEL}`,
          '',
          runContext(),
          `- command: \`npm run bench:checkout -- ${process.argv.slice(2).join(' ')}\``,
          `- services: ${SERVICES.join(', ')} (fresh databases); overrides ${JSON.stringify(settings)}`,
          `- sale: ${BUYERS} buyers, ${pool.length} seats, ${CONCURRENCY} at a time, ${saleS.toFixed(1)} s; ${errors} buyers errored`,
          '',
          '| measure | count | p50 / p99 ms |',
          '| --- | ---: | --- |',
          `| hold (POST /holds), 429s included | ${holds.length} | ${fmt(holds)} |`,
          `| checkout POST answered | ${checkouts.length} | ${fmt(checkouts.map((c) => c.postMs))} |`,
          `| **checkout to a terminal answer** | ${terminal.length} | **${fmt(terminal)}** |`,
          `| checkout POST sent to saga created | ${beforeSaga.length} | ${fmt(beforeSaga)} |`,
          `| saga created to terminal (database) | ${sagas.length} | ${fmt(sagas.map((r) => Number(r.ms)))} |`,
          ...[...byStep.entries()].map(
            ([step, ms]) =>
              `| step ${step}, command to reply applied | ${ms.length} | ${fmt(ms)} |`,
          ),
          '',
          'The capture step (attempt 1) in segments, each from database timestamps (one clock):',
          '',
          '| segment | count | p50 / p99 ms |',
          '| --- | ---: | --- |',
          ...capture.map(([label, ms]) => `| ${label} | ${ms.length} | ${fmt(ms)} |`),
          '',
          `- ticketing during the sale: event-loop delay p50 ${loadAfter.lagP50.toFixed(0)} ms / p99 ${loadAfter.lagP99.toFixed(0)} ms, CPU ${(((loadAfter.cpuS - loadBefore.cpuS) / saleS) * 100).toFixed(0)}% of one core`,
          `- ticketing's database during the sale and ${STATS_FLUSH_MS / 1000} s after: ${transactions} transactions (${perCheckout(transactions).toFixed(1)} per checkout, holds and background work included), ${sagaLookups} index scans of saga_instances (${perCheckout(sagaLookups).toFixed(1)} per checkout)`,
          `- holds answered 429 by the hold admission (retried after Retry-After): ${holdsRefusedBusy}`,
          `- checkout POST statuses: ${tally(checkouts.map((c) => String(c.postStatus)))}`,
          `- outcomes: ${tally(checkouts.map((c) => c.outcome))}`,
          `- sagas: ${JSON.stringify(verified.sagas)}, settled ${verified.settledInS.toFixed(1)} s after the sale`,
          `- seats sold ${verified.seatsSold}, tickets ${verified.tickets}, money balanced: ${verified.balanced}`,
          `- verifiers: ${violations === 0 ? 'all 0' : `${violations} violations: ${JSON.stringify(Object.fromEntries(nonZero))}`}`,
          '',
        ];
        return lines.join('\n');
      },
    );
    console.log(`\n${section}`);
    const file = join(
      workspaceRoot,
      'load-tests/results',
      `checkout-${new Date().toISOString().slice(0, 10)}.md`,
    );
    if (existsSync(file)) appendFileSync(file, `\n${section}`);
    else
      writeResults(
        'checkout',
        `# Checkout under the flash sale, to a terminal answer\n\nReproduce: \`npm run bench:checkout\` (hold the stack lock).\n\n${section}`,
      );
    console.log(`appended to ${file}`);
  } finally {
    await stopServices();
  }
}

const SAGAS = Number(arg('sagas') ?? 60);
const SAGA_CONCURRENCY = 3;
const STEP_NAMES = ['reserve', 'charge', 'confirm'];
const LOCAL_TOPIC = 'bench.local.commands';

async function sagaStepOverhead(): Promise<string> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  const adminUrl = infra['DATABASE_URL'] ?? '';
  const name = `bench_local_steps_${Date.now().toString(36)}`;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  // The forced drop at the end may cut an idle socket; that is not an error of the run.
  pool.on('error', () => undefined);
  try {
    await applySuppressionMigrations(pool);
    await applyOutboxMigrations(pool);
    await applySagaMigrations(pool);
    // Which saga a transaction belongs to, so its commit time is filed under it.
    const current = new AsyncLocalStorage<string>();
    const commits = new Map<string, number[]>();
    const base = poolTransactionRunner(pool);
    const tx: TransactionRunner = {
      async inTransaction(work) {
        const result = await base.inTransaction(work);
        const sagaId = current.getStore();
        if (sagaId) commits.set(sagaId, [...(commits.get(sagaId) ?? []), performance.now()]);
        return result;
      },
    };
    const handlerMs = new Map<string, number>();
    const handler: SagaCommandHandler = async (_sql, command) => {
      const started = performance.now();
      const outcome = { outcome: 'succeeded' as const };
      handlerMs.set(command.idempotencyKey, performance.now() - started);
      return outcome;
    };
    const definition: SagaDefinition<Record<string, unknown>> = {
      type: 'bench',
      replyTopic: 'bench.replies',
      steps: STEP_NAMES.map((step) => ({
        name: step,
        action: () => ({ topic: LOCAL_TOPIC, type: step, payload: {} }),
        timeoutMs: 30_000,
        retry: { maxAttempts: 1, initialBackoffMs: 100, maxBackoffMs: 100 },
      })),
    };
    const orchestrator = new SagaOrchestrator({
      tx,
      outbox: outboxWriter({ wakeup: true }),
      localParticipants: [
        {
          topic: LOCAL_TOPIC,
          inboxConsumer: 'bench-local',
          handlers: Object.fromEntries(STEP_NAMES.map((step) => [step, handler])),
        },
      ],
    }).register(definition);
    const run = (sagaId: string) =>
      current.run(sagaId, async () => {
        const started = performance.now();
        await orchestrator.start('bench', sagaId, {});
        if ((await orchestrator.drive(sagaId)) !== STEP_NAMES.length) {
          throw new Error(`saga ${sagaId} did not run its ${STEP_NAMES.length} steps`);
        }
        return started;
      });
    const measure = async (ids: string[]) => {
      const starts = new Map<string, number>();
      let next = 0;
      await Promise.all(
        Array.from({ length: SAGA_CONCURRENCY }, async () => {
          while (next < ids.length) {
            const id = ids[next++] as string;
            starts.set(id, await run(id));
          }
        }),
      );
      return starts;
    };
    await measure(Array.from({ length: 10 }, (_, i) => `warm-${i}`));
    const ids = Array.from({ length: SAGAS }, (_, i) => `saga-${i}`);
    const starts = await measure(ids);
    const steps: number[] = [];
    const whole: number[] = [];
    for (const id of ids) {
      const times = commits.get(id) ?? [];
      STEP_NAMES.forEach((step, i) => {
        const sent = times[i];
        const applied = times[i + 1];
        if (sent === undefined || applied === undefined) throw new Error(`no commits for ${id}`);
        steps.push(applied - sent - (handlerMs.get(`${id}:${step}`) ?? 0));
      });
      whole.push((times.at(-1) ?? 0) - (starts.get(id) ?? 0));
    }
    const f = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)}`;
    };
    return [
      '### Saga step overhead, steps run in-process (`SagaOrchestrator.drive`, a local participant)',
      '',
      runContext(),
      `- command: \`npm run bench:checkout -- --saga-steps --sagas ${SAGAS}\``,
      `- ${SAGAS} sagas of 3 steps with trivial handlers, ${SAGA_CONCURRENCY} at a time, after 10 for warm-up; one scratch database (Postgres as the local stack runs it: fsync off); each command written to the outbox (with its NOTIFY) as in production; per step, from the commit that sent its command to the commit that applied its reply, minus the handler's own time`,
      '',
      '| path | step overhead p50 / p99 ms | whole saga p50 / p99 ms |',
      '| --- | --- | --- |',
      `| in-process (drive) | **${f(steps)}** | ${f(whole)} |`,
      '',
    ].join('\n');
  } finally {
    await pool.end();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const entry = process.argv.includes('--saga-steps')
  ? sagaStepOverhead().then((section) => console.log(section))
  : main();

entry.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
