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
// Writes load-tests/results/scaling-<date>.md. Bounded: 6 runs of a fixed number of holds.
//
//   npm run bench:scaling -- [--instances 1,2,4] [--requests 2000] [--connections 32]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { verifyTicketingInvariants } from '@suite/invariants';
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
import { startReplica, type Replica } from '../lib/stack-replica';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const INSTANCES = (arg('instances') ?? '1,2,4').split(',').map(Number);
const REQUESTS = Number(arg('requests') ?? 2_000);
const CONNECTIONS = Number(arg('connections') ?? 32);
const BUYERS_PER_SEAT = 10;
const WARMUP = 100;
const IDLE_WINDOW_MS = 2_000;
// Each user may hold 20 seats of an event; 1,000 users keep every hold under that.
const USERS = 1_000;
// No hold expires during the run.
const TICKETING = { HOLD_TTL_MS: '600000' };

type Shape = 'uncontended' | 'contended';

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

async function main(): Promise<void> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  console.log('starting ticketing on an empty database');
  await startServices(['ticketing'], { fresh: true, overrides: { ticketing: TICKETING } });
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
    }
  } finally {
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    await db.end();
    // The run started the stack afresh for itself: it leaves nothing running.
    await stopServices();
  }
  console.log(`\nresults: ${writeResults('scaling', report(runs))}`);
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

Produced by \`npm run bench:scaling -- --instances ${INSTANCES.join(',')} --requests ${REQUESTS} --connections ${CONNECTIONS}\`
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
- Adding instances does not lower the CPU per hold (the lines above): every hold does the same
  work, and each instance adds background work of its own (outbox relay, hold sweeper,
  pollers, connections), so it can rise. The cores divided by the CPU per hold bound the
  throughput of any number of instances on one machine: more takes more cores (instances on
  other machines, with Postgres then the one shared process) or less CPU per hold.
- On a machine shared with other work (see the load average and "other"), more instances
  also take a larger share of the busy cores from the rest of the machine: throughput that
  grows while the ceiling does not is that share, not scaling.
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
