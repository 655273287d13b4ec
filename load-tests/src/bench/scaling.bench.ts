// How cost grows with instances (issue 14 item 7): seat holds at 1, 2 and 4 ticketing
// instances on one Postgres, Redis and Kafka, with the CPU every process spent per request.
// The stack runner starts one ticketing (its production bundle, fresh databases); the others
// are replicas configured as it is (load-tests/src/lib/stack-replica.ts). The gateway proxies
// to one TICKETING_URL and the native stack has no balancer (the compose cluster's HAProxy
// runs in Docker), so the load generator balances: each instance gets an equal share of the
// connections and every N-th request, as a round-robin L4 balancer would, at no cost to the
// cores being measured. Two shapes: uncontended (every hold a fresh seat) and contended (10
// buyers per seat in flight together, spread over the instances: the flash sale's shape).
// After each run the seat invariants are checked on the database.
// Then checkouts at the same instance counts: payments and the PSP simulator run too, a fixed
// number of buyers each hold a fresh seat (not measured) and check out, request i to
// instance i mod N, each timed from its POST to the first answer that is terminal (the POST's
// own, or a poll of GET /orders/:id on the same instance), with every process's CPU per
// checkout and the saga and money verifiers after each run.
// Writes load-tests/results/scaling-<date>.md. Bounded: 6 runs of a fixed number of holds and
// 3 of a fixed number of checkouts (--checkouts 0 skips them).
//
//   npm run bench:scaling -- [--instances 1,2,4] [--requests 2000] [--connections 32]
//     [--checkouts 400]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { verifyPaymentInvariants, verifyTicketingInvariants } from '@suite/invariants';
import {
  ENDPOINTS_FILE,
  parseEndpointsFile,
  running,
  startServices,
  stackTokens,
  stopServices,
} from '@suite/testing';
import { autocannon, rate, type CannonRequest, type CannonResult } from '../lib/autocannon';
import { machineCpuMs, processCpuMs, processTreeCpuMs } from '../lib/process-cpu';
import { runContext, workspaceRoot, writeResults } from '../lib/results';
import { percentile as percentileOf } from '../lib/stats';
import { startReplica, type Replica } from '../lib/stack-replica';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const INSTANCES = (arg('instances') ?? '1,2,4').split(',').map(Number);
const REQUESTS = Number(arg('requests') ?? 2_000);
const CONNECTIONS = Number(arg('connections') ?? 32);
const CHECKOUTS = Number(arg('checkouts') ?? 400);
// A waiting buyer reads its order this often (as the checkout bench's buyers, less often than
// the demo's 200 ms so the poll is not what is measured).
const CHECKOUT_POLL_MS = 100;
const CHECKOUT_DEADLINE_MS = 120_000;
const BUYERS_PER_SEAT = 10;
const WARMUP = 100;
const IDLE_WINDOW_MS = 2_000;
// Each user may hold 20 seats of an event; 1,000 users keep every hold under that.
const USERS = 1_000;
// No hold expires during the run.
const TICKETING = { HOLD_TTL_MS: '600000' };

type Shape = 'uncontended' | 'contended';

interface CheckoutRun {
  instances: number;
  seconds: number;
  checkouts: number;
  // POST sent to the first terminal answer, of the checkouts that got one.
  terminalMs: number[];
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  cpuMs: CpuSample;
  sagasSettledInS: number;
  violations: number;
  balanced: boolean;
}

interface Instance {
  pid: number;
  url: string;
}

// CPU ms per process group over one run, and the machine's busy time.
type CpuSample = Record<string, number>;

interface Run {
  instances: number;
  shape: Shape;
  seconds: number;
  requests: number;
  placed: number;
  refused: number;
  errors: number;
  p50: number;
  p99: number;
  cpuMs: CpuSample;
  // CPU ms per second of the same processes over an idle window just before the run: the
  // instances' background work (outbox relay, hold sweeper, pollers) and Postgres' for it.
  idleMsPerS: CpuSample;
  seatsHeldTwice: number;
  seatsSoldTwice: number;
}

const infraPid = (file: string): number | undefined => {
  try {
    const pid = Number(
      readFileSync(join(workspaceRoot, '.local/run', file), 'utf8').split('\n')[0],
    );
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

function sampleCpu(instances: readonly Instance[]): CpuSample {
  const postgres = infraPid('postgres/data/postmaster.pid');
  const redis = infraPid('redis/redis.pid');
  const kafka = infraPid('kafka/kafka.pid');
  const self = process.cpuUsage();
  const sample: CpuSample = {
    machine: machineCpuMs().busy,
    'load generator': (self.user + self.system) / 1000,
    postgres: postgres ? processTreeCpuMs(postgres) : NaN,
    redis: redis ? processCpuMs(redis) : NaN,
    kafka: kafka ? processCpuMs(kafka) : NaN,
  };
  instances.forEach((instance, i) => {
    sample[`ticketing ${i + 1}`] = processCpuMs(instance.pid);
  });
  // The checkout's other participants, when they run.
  for (const service of ['payments', 'psp-simulator'] as const) {
    const participant = running(service);
    if (participant) sample[service] = processCpuMs(participant.pid);
  }
  return sample;
}

const delta = (after: CpuSample, before: CpuSample): CpuSample =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));

// One seat in two live holds: the oversell a hold mechanism exists to prevent.
async function seatsHeldTwice(db: Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from (
       select event_id, seat from holds, unnest(seat_ids) as seat
        where status = 'active' and expires_at > now()
        group by event_id, seat having count(*) > 1) twice`,
  );
  return rows[0]?.n ?? 0;
}

const benchStarted = performance.now();

// Runs work(0..amount-1), `limit` at a time; bounded by `amount`.
async function inBatches<T>(
  amount: number,
  limit: number,
  work: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(amount);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, amount) }, async () => {
      while (next < amount) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

const TERMINAL = new Set(['completed', 'failed', 'needs-attention']);

async function main(): Promise<void> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  const services =
    CHECKOUTS > 0
      ? (['psp-simulator', 'payments', 'ticketing'] as const)
      : (['ticketing'] as const);
  console.log(`starting ${services.join(', ')} on empty databases`);
  await startServices([...services], { fresh: true, overrides: { ticketing: TICKETING } });
  const first = running('ticketing');
  if (!first) throw new Error('ticketing did not start');
  const instances: Instance[] = [{ pid: first.pid, url: `http://127.0.0.1:${first.port}` }];
  const replicas: Replica[] = [];

  const tokens = stackTokens();
  const bearer = await Promise.all(
    Array.from({ length: USERS }, (_, i) => tokens.token(`scaling-${i}`)),
  );
  const db = new Pool({ connectionString: infra['TICKETING_DATABASE_URL'], max: 2 });
  const { rows: seatRows } = await db.query<{ event_id: string; seat_id: string }>(
    `select event_id::text, seat_id::text from seats order by event_id, seat_id`,
  );
  const eventId = seatRows[0]?.event_id ?? '';
  const seats = seatRows.filter((r) => r.event_id === eventId).map((r) => r.seat_id);
  let cursor = 0;
  const takeSeats = (n: number) => {
    if (cursor + n > seats.length) throw new Error(`the event has ${seats.length} seats`);
    return seats.slice(cursor, (cursor += n));
  };
  let requestNo = 0;

  // `amount` holds over the targets, request i to target i mod n.
  const holds = async (targets: Instance[], amount: number, seatOf: (i: number) => string) => {
    const n = targets.length;
    const results = await Promise.all(
      targets.map((instance, k) => {
        let next = k;
        return autocannon({
          url: instance.url,
          connections: Math.max(1, Math.round(CONNECTIONS / n)),
          amount: Math.ceil((amount - k) / n),
          requests: [
            {
              method: 'POST',
              path: '/holds',
              setupRequest: (request: CannonRequest) => {
                const i = next;
                next += n;
                return {
                  ...request,
                  headers: {
                    'content-type': 'application/json',
                    authorization: `Bearer ${bearer[requestNo++ % USERS] ?? ''}`,
                  },
                  body: JSON.stringify({ eventId, seatIds: [seatOf(i)] }),
                };
              },
            },
          ],
        });
      }),
    );
    return results;
  };

  // `amount` buyers each hold a fresh seat (not measured), then check out, request i to
  // target i mod n, `CONNECTIONS` at a time; each timed from its POST to a terminal answer.
  const checkouts = async (targets: Instance[], amount: number) => {
    const n = targets.length;
    const mine = takeSeats(amount);
    const prepared = await inBatches(amount, CONNECTIONS, async (i) => {
      const target = targets[i % n] as Instance;
      const token = bearer[requestNo++ % USERS] ?? '';
      const held = await fetch(`${target.url}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ eventId, seatIds: [mine[i]] }),
        signal: AbortSignal.timeout(30_000),
      });
      if (held.status !== 201) throw new Error(`a checkout's hold answered ${held.status}`);
      return { target, token, holdId: ((await held.json()) as { holdId: string }).holdId };
    });
    const deadline = Date.now() + CHECKOUT_DEADLINE_MS;
    return inBatches(amount, CONNECTIONS, async (i) => {
      const { target, token, holdId } = prepared[i] as (typeof prepared)[number];
      const auth = { authorization: `Bearer ${token}` };
      const started = performance.now();
      const posted = await fetch(`${target.url}/checkouts`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ holdId, paymentSource: 'tok_visa' }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await posted.json()) as { orderId?: string; status?: string };
      let status = body.status ?? 'error';
      while (body.orderId && !TERMINAL.has(status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, CHECKOUT_POLL_MS));
        const polled = await fetch(`${target.url}/orders/${body.orderId}`, {
          headers: auth,
          signal: AbortSignal.timeout(30_000),
        });
        if (polled.ok) status = ((await polled.json()) as { status: string }).status;
      }
      return {
        postStatus: posted.status,
        outcome: TERMINAL.has(status) ? status : 'pending',
        ms: TERMINAL.has(status) ? performance.now() - started : undefined,
      };
    });
  };
  const paymentsDb = new Pool({ connectionString: infra['PAYMENTS_DATABASE_URL'], max: 2 });
  const pspDb = new Pool({ connectionString: infra['PSP_SIMULATOR_DATABASE_URL'], max: 2 });
  const { rows: priced } = await db.query<{ price: string }>(
    'select price_minor::text as price from events where id = $1',
    [eventId],
  );
  const priceMinor = Number(priced[0]?.price ?? NaN);
  const checkoutRuns: CheckoutRun[] = [];

  const runs: Run[] = [];
  let warmed = 0;
  try {
    for (const n of INSTANCES) {
      while (instances.length < n) {
        const replica = await startReplica('ticketing', instances.length + 1);
        replicas.push(replica);
        instances.push({ pid: replica.pid, url: replica.url });
      }
      // Every instance warmed once before its first measured run.
      for (const instance of instances.slice(warmed, n)) {
        const warm = takeSeats(WARMUP);
        await holds([instance], WARMUP, (i) => warm[i] ?? '');
      }
      warmed = n;
      for (const shape of ['uncontended', 'contended'] as const) {
        const mine =
          shape === 'uncontended'
            ? takeSeats(REQUESTS)
            : takeSeats(Math.ceil(REQUESTS / BUYERS_PER_SEAT));
        const seatOf =
          shape === 'uncontended'
            ? (i: number) => mine[i] ?? ''
            : (i: number) => mine[Math.floor(i / BUYERS_PER_SEAT)] ?? '';
        const idleFrom = sampleCpu(instances.slice(0, n));
        await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
        const idleMsPerS = Object.fromEntries(
          Object.entries(delta(sampleCpu(instances.slice(0, n)), idleFrom)).map(([k, v]) => [
            k,
            (v * 1000) / IDLE_WINDOW_MS,
          ]),
        );
        const before = sampleCpu(instances.slice(0, n));
        const started = performance.now();
        const results: CannonResult[] = await holds(instances.slice(0, n), REQUESTS, seatOf);
        const seconds = (performance.now() - started) / 1000;
        const cpuMs = delta(sampleCpu(instances.slice(0, n)), before);
        const sum = (f: (r: CannonResult) => number) => results.reduce((a, r) => a + f(r), 0);
        const requests = sum((r) => r['2xx'] + r.non2xx);
        const verdict = await verifyTicketingInvariants(db);
        const run: Run = {
          instances: n,
          shape,
          seconds,
          requests,
          placed: sum((r) => r['2xx']),
          refused: sum((r) => r.non2xx),
          errors: sum((r) => r.errors + r.timeouts),
          // The instances' medians weighted by their requests; the worst instance's p99.
          p50: sum((r) => r.latency.p50 * (r['2xx'] + r.non2xx)) / Math.max(1, requests),
          p99: Math.max(...results.map((r) => r.latency.p99)),
          cpuMs,
          idleMsPerS,
          seatsHeldTwice: await seatsHeldTwice(db),
          seatsSoldTwice: verdict.seatsSoldTwice,
        };
        runs.push(run);
        const ticketingMs = Object.entries(cpuMs)
          .filter(([k]) => k.startsWith('ticketing'))
          .reduce((a, [, v]) => a + v, 0);
        console.log(
          `${n} instance(s), ${shape}: ${(requests / seconds).toFixed(0)} holds/s ` +
            `(${results.map((r) => rate(r).toFixed(0)).join(' + ')}), p50 ${run.p50.toFixed(0)} ms, ` +
            `p99 ${run.p99} ms; CPU ms/req: ticketing ${(ticketingMs / requests).toFixed(2)}, ` +
            `postgres ${((cpuMs['postgres'] ?? 0) / requests).toFixed(2)}, machine ` +
            `${((cpuMs['machine'] ?? 0) / requests).toFixed(2)} (${((cpuMs['machine'] ?? 0) / 1000 / seconds).toFixed(2)} cores busy); ` +
            `placed ${run.placed}, refused ${run.refused}, errors ${run.errors}, held twice ${run.seatsHeldTwice}, sold twice ${run.seatsSoldTwice}`,
        );
      }
      if (CHECKOUTS > 0) {
        const before = sampleCpu(instances.slice(0, n));
        const started = performance.now();
        const done = await checkouts(instances.slice(0, n), CHECKOUTS);
        const seconds = (performance.now() - started) / 1000;
        const cpuMs = delta(sampleCpu(instances.slice(0, n)), before);
        // Sagas over (bounded), then the seats, tickets, sagas and money.
        const settleFrom = Date.now();
        const runningSagas = async () =>
          Number(
            (
              await db.query<{ n: string }>(
                "select count(*) as n from saga_instances where status in ('running', 'compensating')",
              )
            ).rows[0]?.n ?? 0,
          );
        while ((await runningSagas()) > 0 && Date.now() - settleFrom < 60_000) {
          await new Promise((r) => setTimeout(r, 500));
        }
        const seatsVerdict = await verifyTicketingInvariants(db);
        const moneyVerdict = await verifyPaymentInvariants(paymentsDb, pspDb);
        const one = async (pool: Pool, sql: string) =>
          Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
        const tickets = await one(db, 'select count(*) as n from tickets');
        const captured = await one(
          paymentsDb,
          "select coalesce(sum(amount_minor), 0) as n from payments where status in ('captured', 'partially_refunded', 'refunded')",
        );
        const refunded = await one(
          paymentsDb,
          'select coalesce(sum(refunded_minor), 0) as n from payments',
        );
        const count = (values: string[]) =>
          values.reduce<Record<string, number>>(
            (acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }),
            {},
          );
        const run: CheckoutRun = {
          instances: n,
          seconds,
          checkouts: done.length,
          terminalMs: done.flatMap((c) => (c.ms === undefined ? [] : [c.ms])),
          statuses: count(done.map((c) => String(c.postStatus))),
          outcomes: count(done.map((c) => c.outcome)),
          cpuMs,
          sagasSettledInS: (Date.now() - settleFrom) / 1000,
          violations: [
            ...Object.values(seatsVerdict),
            ...Object.values(moneyVerdict),
          ].reduce<number>((a, v) => a + (typeof v === 'number' ? v : 0), 0),
          balanced: captured === tickets * priceMinor + refunded,
        };
        checkoutRuns.push(run);
        const sorted = [...run.terminalMs].sort((a, b) => a - b);
        console.log(
          `${n} instance(s), checkout: ${(run.checkouts / seconds).toFixed(1)}/s to a terminal answer, ` +
            `p50 ${percentileOf(sorted, 50).toFixed(0)} / p99 ${percentileOf(sorted, 99).toFixed(0)} ms; ` +
            `outcomes ${JSON.stringify(run.outcomes)}; violations ${run.violations}, balanced ${run.balanced}`,
        );
      }
    }
  } finally {
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    await db.end();
    await paymentsDb.end();
    await pspDb.end();
    // The run started the stack afresh for itself: it leaves nothing running.
    await stopServices();
  }
  console.log(`\nresults: ${writeResults('scaling', report(runs) + checkoutReport(checkoutRuns))}`);
}

const CORES = cpus().length;
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const perReq = (run: Run, key: string) => (run.cpuMs[key] ?? NaN) / run.requests;
const ticketing = (run: Run) =>
  Object.entries(run.cpuMs)
    .filter(([k]) => k.startsWith('ticketing'))
    .reduce((a, [, v]) => a + v, 0);
// CPU ms of the processes a hold needs, and of the load generator.
const known = (run: Run) =>
  ticketing(run) +
  ['postgres', 'redis', 'kafka', 'load generator'].reduce(
    (a, k) => a + (Number.isFinite(run.cpuMs[k]) ? (run.cpuMs[k] ?? 0) : 0),
    0,
  );
// The most holds per second the cores allow at this run's CPU per hold.
const ceilingOf = (run: Run) => (CORES * 1000) / (known(run) / run.requests);

function conclusion(runs: readonly Run[], shape: Shape): string {
  const mine = runs.filter((r) => r.shape === shape);
  const first = mine[0];
  if (!first) return '';
  const rate = (r: Run) => r.requests / r.seconds;
  const steps = mine
    .map(
      (r) =>
        `${r.instances}: ${rate(r).toFixed(0)}/s (${fmt(rate(r) / rate(first))}x), ` +
        `${fmt(known(r) / r.requests)} ms CPU per hold, ${fmt((r.cpuMs['machine'] ?? 0) / 1000 / r.seconds)} cores busy, ` +
        `${fmt((known(r) / Math.max(1, r.cpuMs['machine'] ?? 0)) * 100, 0)}% of them this benchmark's`,
    )
    .join('; ');
  return `- ${shape}, by instances: ${steps}.`;
}

function report(runs: readonly Run[]): string {
  const base = (shape: Shape) => runs.find((r) => r.shape === shape && r.instances === 1);
  const rows = runs.map((run) => {
    const throughput = run.requests / run.seconds;
    const ceiling = ceilingOf(run);
    const b = base(run.shape);
    const ratio = b ? throughput / (b.requests / b.seconds) : NaN;
    const perInstance = Object.entries(run.cpuMs)
      .filter(([k]) => k.startsWith('ticketing'))
      .map(([, v]) => fmt(v / 1000 / run.seconds))
      .join(' / ');
    return (
      `| ${run.instances} | ${run.shape} | ${throughput.toFixed(0)} | ${fmt(ratio)}x | ${fmt(ceiling, 0)} | ` +
      `${fmt((throughput / ceiling) * 100, 0)}% | ${run.p50.toFixed(0)} | ${run.p99} | ` +
      `${run.placed} | ${run.refused} | ${run.errors} | ` +
      `${fmt(ticketing(run) / run.requests)} | ${fmt(perReq(run, 'postgres'))} | ${fmt(perReq(run, 'redis'))} | ` +
      `${fmt(perReq(run, 'kafka'))} | ${fmt(perReq(run, 'load generator'))} | ` +
      `${fmt(((run.cpuMs['machine'] ?? 0) - known(run)) / run.requests)} | ${fmt(perReq(run, 'machine'))} | ` +
      `${perInstance} | ${fmt((run.cpuMs['machine'] ?? 0) / 1000 / run.seconds)} | ` +
      `${fmt(ticketing({ ...run, cpuMs: run.idleMsPerS }) / 1000)}, ${fmt((run.idleMsPerS['postgres'] ?? NaN) / 1000)} | ` +
      `${run.seatsHeldTwice} | ${run.seatsSoldTwice} |`
    );
  });
  return `# How cost grows: seat holds at ${INSTANCES.join(', ')} ticketing instances

${runContext()}

Produced by \`npm run bench:scaling -- --instances ${INSTANCES.join(',')} --requests ${REQUESTS} --connections ${CONNECTIONS} --checkouts ${CHECKOUTS}\`
(load-tests/src/bench/scaling.bench.ts), which took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s including the build and the starts.

- ticketing: instance 1 is the stack runner's (its production bundle, an empty database, holds
  live ${Number(TICKETING.HOLD_TTL_MS) / 60_000} min); instances 2 to 4 are replicas with its command line and
  environment on ports of their own (load-tests/src/lib/stack-replica.ts), each warmed with
  ${WARMUP} holds before its first run. All share one Postgres, one Redis and one Kafka.
- balancing: the gateway proxies to one TICKETING_URL and the native stack has no balancer, so
  the load generator (autocannon, in this process) balances: ${CONNECTIONS} connections split
  evenly, request i to instance i mod N. Straight to ticketing, no gateway.
- ${REQUESTS} holds per run, one seat each, ${USERS} users. Uncontended: a fresh seat per
  request. Contended: ${BUYERS_PER_SEAT} buyers per seat in flight together, spread over the
  instances; one wins (201), the others are refused (409).
- CPU: user + system time per process over the run from /proc, divided by the requests.
  Postgres counts the postmaster and every backend; "other" is the machine's busy time less
  the processes listed: other work on the machine (see the load average). Postgres, Redis and
  Kafka count whatever else uses them during the run too (other tests on a shared machine). "cores busy" is the
  machine's busy time over the run's wall time; this machine has 2.
- idle cores: the CPU the ticketing instances (all of them) and Postgres spent per second over
  ${IDLE_WINDOW_MS / 1000} s with no requests, just before the run: background work that the run's
  per-hold figures include.
- p50: the instances' medians weighted by their requests; p99: the worst instance's.
- held twice: seats in two active holds; sold twice: the ticketing verifier. Both must be 0.

| instances | shape | holds/s | vs 1 instance | ceiling holds/s | of ceiling | p50 ms | p99 ms | placed | refused | errors | ticketing CPU ms/req | postgres | redis | kafka | load generator | other | machine ms/req | cores per ticketing instance | cores busy | idle cores: ticketing, postgres | held twice | sold twice |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |
${rows.join('\n')}

## Where it stops scaling, and why

The ceiling is what the cores allow: ${CORES} cores x 1000 ms over the CPU one hold costs in the
processes a hold needs (ticketing, Postgres, Redis, Kafka) and in the load generator, which
shares the cores here. It ignores the "other" column: the rest of the machine's work.

${(['uncontended', 'contended'] as const).map((shape) => conclusion(runs, shape)).join('\n')}

- One ticketing instance is one Node.js event loop: at most one core, however many the
  machine has. A second instance can use the second core; past the machine's core count an
  instance adds an event loop but no CPU, so throughput can grow only while the cores busy
  stay below ${CORES}.
- Adding instances does not make a hold cheaper: every hold does the same work, and each
  instance adds background work of its own (outbox relay, hold sweeper, pollers,
  connections); what the lines above show beyond that is the noise of a shared machine. The
  cores divided by the CPU per hold bound the
  throughput of any number of instances on one machine: more takes more cores (instances on
  other machines, with Postgres then the one shared process) or less CPU per hold.
- On a machine shared with other work (see the load average and "other"), more instances
  also take a larger share of the busy cores from the rest of the machine: throughput that
  grows while the ceiling does not is that share, not scaling.
`;
}

// CPU ms of the processes a checkout needs, and of the load generator.
const checkoutKnown = (run: CheckoutRun) =>
  ticketing({ cpuMs: run.cpuMs } as Run) +
  ['postgres', 'redis', 'kafka', 'payments', 'psp-simulator', 'load generator'].reduce(
    (a, k) => a + (Number.isFinite(run.cpuMs[k]) ? (run.cpuMs[k] ?? 0) : 0),
    0,
  );

function checkoutReport(runs: readonly CheckoutRun[]): string {
  if (runs.length === 0) return '';
  const rate = (r: CheckoutRun) => r.checkouts / r.seconds;
  const first = runs[0] as CheckoutRun;
  const per = (r: CheckoutRun, k: string) => fmt((r.cpuMs[k] ?? NaN) / r.checkouts);
  const rows = runs.map((r) => {
    const sorted = [...r.terminalMs].sort((a, b) => a - b);
    const perInstance = Object.entries(r.cpuMs)
      .filter(([k]) => k.startsWith('ticketing'))
      .map(([, v]) => fmt(v / 1000 / r.seconds))
      .join(' / ');
    return (
      `| ${r.instances} | ${rate(r).toFixed(1)} | ${fmt(rate(r) / rate(first))}x | ` +
      `${fmt((CORES * 1000) / (checkoutKnown(r) / r.checkouts), 0)} | ` +
      `${percentileOf(sorted, 50).toFixed(0)} | ${percentileOf(sorted, 99).toFixed(0)} | ` +
      `${JSON.stringify(r.statuses)} | ${JSON.stringify(r.outcomes)} | ` +
      `${fmt(ticketing({ cpuMs: r.cpuMs } as Run) / r.checkouts)} | ${per(r, 'postgres')} | ` +
      `${per(r, 'payments')} | ${per(r, 'psp-simulator')} | ${per(r, 'kafka')} | ${per(r, 'redis')} | ` +
      `${per(r, 'load generator')} | ${fmt(((r.cpuMs['machine'] ?? 0) - checkoutKnown(r)) / r.checkouts)} | ` +
      `${per(r, 'machine')} | ${perInstance} | ${fmt((r.cpuMs['machine'] ?? 0) / 1000 / r.seconds)} | ` +
      `${r.sagasSettledInS.toFixed(1)} | ${r.violations} | ${r.balanced} |`
    );
  });
  return `
## Checkouts at ${runs.map((r) => r.instances).join(', ')} ticketing instances

Payments and the PSP simulator run beside ticketing (one each). Per run, ${CHECKOUTS} buyers
each hold one fresh seat (not measured), then check out with a card the PSP accepts,
${CONNECTIONS} at a time, request i to instance i mod N, straight to ticketing; a checkout
answered 202 reads its order on the same instance every ${CHECKOUT_POLL_MS} ms. "to terminal" is
from the POST to the first answer that says completed or failed. CPU as above, per checkout;
"ceiling" is the checkouts per second the cores allow at that CPU per checkout. After each
run the sagas are let finish (settled), then the seat and payment verifiers (violations) and
the money (captured = tickets x price + refunds) are checked.

| instances | checkouts/s | vs 1 instance | ceiling/s | p50 ms to terminal | p99 ms | POST statuses | outcomes | ticketing CPU ms/checkout | postgres | payments | psp | kafka | redis | load generator | other | machine ms/checkout | cores per ticketing instance | cores busy | sagas settled s | violations | money balanced |
| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |
${rows.join('\n')}

${runs
  .map(
    (r) =>
      `- ${r.instances}: ${rate(r).toFixed(1)}/s (${fmt(rate(r) / rate(first))}x), ` +
      `${fmt(checkoutKnown(r) / r.checkouts, 1)} ms CPU per checkout in the processes it needs ` +
      `(ticketing ${fmt(ticketing({ cpuMs: r.cpuMs } as Run) / r.checkouts, 1)}, Postgres ` +
      `${per(r, 'postgres')}), ${fmt((r.cpuMs['machine'] ?? 0) / 1000 / r.seconds)} cores busy, ` +
      `${fmt((rate(r) / ((CORES * 1000) / (checkoutKnown(r) / r.checkouts))) * 100, 0)}% of the ceiling.`,
  )
  .join('\n')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
