// Seat holds like for like: ticketing's fenced hold (a Redis lease per seat, Postgres written
// only by the winner) against the naive mechanism inside ticketing itself (HOLD_MECHANISM=
// naive: one Postgres transaction per hold with SELECT ... FOR UPDATE on the seat rows), on
// the same HTTP stack, token check and validation, straight to ticketing. Two shapes each:
// uncontended (every hold a fresh seat) and contended (10 buyers per seat, the flash sale's
// shape). After each scenario the rows written are counted per table and the hold and seat
// invariants are checked on the database.
// Writes load-tests/results/holds-like-for-like-<date>.md.
// Usage: holds.bench.ts [requests per scenario] [connections]
// HOLDS_BENCH_PROFILE=1 also takes a CPU profile of ticketing over each scenario and writes
// its top frames into the results (the profiler's own cost is in that run's figures).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { countSeatsHeldTwice, verifyTicketingInvariants } from '@suite/invariants';
import {
  ENDPOINTS_FILE,
  killService,
  parseEndpointsFile,
  running,
  startServices,
  type ServicePorts,
} from '@suite/testing';
import { readCpuProfile, topShares } from '../lib/cpu-profile';
import { autocannon, rate, type CannonRequest, type CannonResult } from '../lib/autocannon';
import { GatewayClient } from '../lib/gateway-client';
import { runContext, workspaceRoot, writeResults } from '../lib/results';

const REQUESTS = Number(process.argv[2] ?? 2_000);
const CONNECTIONS = Number(process.argv[3] ?? 32);
const BUYERS_PER_SEAT = 10;
const WARMUP = 200;
const USERS = 400;
// No hold expires during the run: the sweeper's expiries would show up as writes of later
// scenarios.
const PROFILE = process.env['HOLDS_BENCH_PROFILE'] === '1';
const PROFILE_DIR = join(workspaceRoot, '.local/profiles/holds');
const TICKETING: Record<string, string> = {
  HOLD_TTL_MS: '600000',
  ...(PROFILE
    ? {
        NODE_OPTIONS: `--require ${join(__dirname, 'holds-profile.preload.cjs')}`,
        HOLDS_PROFILE_DIR: PROFILE_DIR,
      }
    : {}),
};
// Targets: uncontended at least 0.8x the naive mechanism, contended at least 2x.
const TARGET = { uncontended: 0.8, contended: 2 };

type Mechanism = 'fenced' | 'naive';
type Shape = 'uncontended' | 'contended';

interface Scenario {
  mechanism: Mechanism;
  shape: Shape;
  result: CannonResult;
  placed: number;
  refused: number;
  // Rows inserted, updated or deleted per table of ticketing's database over the scenario.
  writes: Record<string, number>;
  ticketingCpuMsPerRequest: number;
  // Script calls and MGETs Redis served per request over the scenario: the hold's round trips.
  redisCallsPerRequest: number;
  // Transactions ticketing's database ended per request (its relay and sweeper included).
  transactionsPerRequest: number;
  seatsHeldTwice: number;
  soldTwice: number;
  profile?: string;
}

interface TableCounts {
  [table: string]: number;
}

const TICKS_PER_SECOND = 100;

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

// Rows written so far per table (inserted + updated + deletes, aborted ones included), as
// Postgres' statistics count them. An idle backend reports its counts up to 10 s late
// (PGSTAT_IDLE_INTERVAL), so this waits 11 s before it reads.
const STATS_SETTLE_MS = 11_000;

// With the transactions ticketing's database has committed or rolled back so far, read at
// the same time.
async function tableWrites(db: Pool): Promise<{ tables: TableCounts; transactions: number }> {
  await new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
  const { rows } = await db.query<{ relname: string; n: string }>(
    `select relname, (n_tup_ins + n_tup_upd + n_tup_del)::text as n from pg_stat_user_tables`,
  );
  const xacts = await db.query<{ n: string }>(
    `select (xact_commit + xact_rollback)::text as n from pg_stat_database
      where datname = current_database()`,
  );
  return {
    tables: Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)])),
    transactions: Number(xacts.rows[0]?.n ?? 0),
  };
}

// Script calls and MGETs Redis has served so far (INFO commandstats): each is one round trip
// of a hold. Commands a script runs are counted on their own lines, so these are left out.
// The Redis is the stack's: the other services' scripts during a scenario count too.
const ROUND_TRIP_COMMANDS = new Set(['evalsha', 'eval', 'mget']);

async function redisCalls(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  let calls = 0;
  for (const match of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (ROUND_TRIP_COMMANDS.has(match[1] ?? '')) calls += Number(match[2]);
  }
  return calls;
}

async function main(): Promise<void> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  console.log('starting the services on empty databases');
  let ports: ServicePorts = await startServices(undefined, {
    fresh: true,
    overrides: { ticketing: TICKETING },
  });
  const gateway = new GatewayClient(`http://127.0.0.1:${ports.gateway}`);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => gateway.token(`holds-bench-${i}`)),
  );
  const token = (i: number) => tokens[i % USERS] ?? '';
  const events = await gateway.call<{ events: { id: string }[] }>('events', 'GET', '/events', {
    token: token(0),
  });
  const eventId = events.body.events[0]?.id ?? '';
  const contendedSeats = Math.ceil(REQUESTS / BUYERS_PER_SEAT);
  const needed = 2 * (WARMUP + REQUESTS + contendedSeats);
  const seats: string[] = [];
  for (let offset = 0; seats.length < needed; offset += 500) {
    const page = await gateway.call<{ seats: { seatId: string }[] }>(
      'seats',
      'GET',
      `/events/${eventId}/seats?limit=500&offset=${offset}`,
      { token: token(0) },
    );
    if (page.body.seats.length === 0) break;
    seats.push(...page.body.seats.map((s) => s.seatId));
  }
  if (seats.length < needed) throw new Error(`need ${needed} seats, the event has ${seats.length}`);
  let cursor = 0;
  const takeSeats = (n: number) => seats.slice(cursor, (cursor += n));

  const db = new Pool({ connectionString: infra['TICKETING_DATABASE_URL'], max: 2 });
  const redis = new Redis(infra['REDIS_URL'] ?? '', { lazyConnect: true });
  await redis.connect();
  const holds = (url: string, amount: number, seatOf: (i: number) => string) => {
    let next = 0;
    return autocannon({
      url,
      connections: CONNECTIONS,
      amount,
      requests: [
        {
          method: 'POST',
          path: '/holds',
          setupRequest: (request: CannonRequest) => {
            const i = next++;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token(i)}` },
              body: JSON.stringify({ eventId, seatIds: [seatOf(i)] }),
            };
          },
        },
      ],
    });
  };

  const scenarios: Scenario[] = [];
  // Profiles taken so far per ticketing process, as the preload numbers them.
  const profiles: Record<number, number> = {};
  if (PROFILE) {
    rmSync(PROFILE_DIR, { recursive: true, force: true });
    mkdirSync(PROFILE_DIR, { recursive: true });
  }
  try {
    for (const mechanism of ['fenced', 'naive'] as const) {
      if (mechanism === 'naive') {
        // The same service, restarted on its port with the one setting changed.
        await killService('ticketing', 'SIGTERM');
        ports = await startServices(['ticketing'], {
          overrides: { ticketing: { ...TICKETING, HOLD_MECHANISM: 'naive' } },
        });
      }
      const url = `http://127.0.0.1:${ports.ticketing}`;
      const pid = running('ticketing')?.pid ?? 0;
      const warm = takeSeats(WARMUP);
      await holds(url, WARMUP, (i) => warm[i] ?? '');
      for (const shape of ['uncontended', 'contended'] as const) {
        const mine = shape === 'uncontended' ? takeSeats(REQUESTS) : takeSeats(contendedSeats);
        // Contended: request i goes to seat i / 10, so the 10 buyers of a seat are in flight
        // together.
        const seatOf =
          shape === 'uncontended'
            ? (i: number) => mine[i] ?? ''
            : (i: number) => mine[Math.floor(i / BUYERS_PER_SEAT)] ?? '';
        console.log(`\n${mechanism}, ${shape}: ${REQUESTS} holds, ${CONNECTIONS} connections`);
        // The settling wait before the scenario doubles as the measure of ticketing's idle
        // CPU (its relay, sweeper and pollers), taken out of the per-request figure.
        const idleFrom = cpuMs(pid);
        const idleStarted = performance.now();
        const writesBefore = await tableWrites(db);
        const idleMsPerS = (cpuMs(pid) - idleFrom) / ((performance.now() - idleStarted) / 1000);
        if (PROFILE) process.kill(pid, 'SIGUSR2');
        const redisBefore = await redisCalls(redis);
        const cpuBefore = cpuMs(pid);
        const result = await holds(url, REQUESTS, seatOf);
        const cpu = cpuMs(pid) - cpuBefore - idleMsPerS * result.duration;
        const redisDuring = (await redisCalls(redis)) - redisBefore;
        const profile = PROFILE
          ? await takeProfile(pid, (profiles[pid] = (profiles[pid] ?? 0) + 1))
          : undefined;
        const writesAfter = await tableWrites(db);
        const writes = Object.fromEntries(
          Object.entries(writesAfter.tables)
            .map(([table, n]) => [table, n - (writesBefore.tables[table] ?? 0)] as const)
            .filter(([, n]) => n !== 0),
        );
        const verdict = await verifyTicketingInvariants(db);
        const scenario: Scenario = {
          mechanism,
          shape,
          result,
          placed: result['2xx'],
          refused: result.non2xx,
          writes,
          ticketingCpuMsPerRequest: cpu / Math.max(1, result['2xx'] + result.non2xx),
          redisCallsPerRequest: redisDuring / Math.max(1, result['2xx'] + result.non2xx),
          transactionsPerRequest:
            (writesAfter.transactions - writesBefore.transactions) /
            Math.max(1, result['2xx'] + result.non2xx),
          seatsHeldTwice: await countSeatsHeldTwice(db),
          soldTwice: verdict.seatsSoldTwice,
          profile,
        };
        console.log(
          `  ${rate(result).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, placed ${scenario.placed}, refused ${scenario.refused}, errors ${result.errors + result.timeouts}, writes ${JSON.stringify(writes)}, seats held twice ${scenario.seatsHeldTwice}`,
        );
        scenarios.push(scenario);
      }
    }
  } finally {
    // Leave ticketing as it ships.
    if (running('ticketing')?.overrides?.['HOLD_MECHANISM'] === 'naive') {
      await killService('ticketing', 'SIGTERM');
      await startServices(['ticketing'], { overrides: { ticketing: {} } });
    }
    await db.end();
    redis.disconnect();
  }

  const find = (mechanism: Mechanism, shape: Shape) => {
    const found = scenarios.find((s) => s.mechanism === mechanism && s.shape === shape);
    if (!found) throw new Error(`${mechanism} ${shape} did not run`);
    return found;
  };
  const lines = (['uncontended', 'contended'] as const).map((shape) => {
    const fenced = find('fenced', shape);
    const naive = find('naive', shape);
    const ratio = rate(fenced.result) / Math.max(rate(naive.result), 0.001);
    const met = ratio >= TARGET[shape];
    return `- ${shape}: fenced / naive throughput = **${ratio.toFixed(2)}x** (target ≥ ${TARGET[shape]}x): ${met ? 'met' : 'not met'}; p99 ${fenced.result.latency.p99} ms vs ${naive.result.latency.p99} ms`;
  });
  const writesText = (writes: Record<string, number>) =>
    Object.entries(writes)
      .sort((a, b) => b[1] - a[1])
      .map(([table, n]) => `${table} ${n}`)
      .join(', ') || 'none';
  const table = [
    '| mechanism | shape | holds/s | p50 ms | p99 ms | placed (201) | refused (409) | errors | ticketing CPU ms/req, idle taken out | Redis scripts + MGETs /req | Postgres transactions /req | rows written (table: rows) | seats held twice | seats sold twice |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...scenarios.map(
      (s) =>
        `| ${s.mechanism} | ${s.shape} | ${rate(s.result).toFixed(0)} | ${s.result.latency.p50} | ${s.result.latency.p99} | ${s.placed} | ${s.refused} | ${s.result.errors + s.result.timeouts} | ${s.ticketingCpuMsPerRequest.toFixed(2)} | ${s.redisCallsPerRequest.toFixed(2)} | ${s.transactionsPerRequest.toFixed(2)} | ${writesText(s.writes)} | ${s.seatsHeldTwice} | ${s.soldTwice} |`,
    ),
  ].join('\n');
  const file = writeResults(
    'holds-like-for-like',
    `# Seat holds like for like: the fenced hold against a naive row lock, inside ticketing

${runContext()}
- load: autocannon straight to ticketing, ${REQUESTS} hold requests per scenario after ${WARMUP} warm-up holds per mechanism, ${CONNECTIONS} connections, one seat per hold, ${USERS} users
- uncontended: every request a fresh seat; contended: ${contendedSeats} seats, ${BUYERS_PER_SEAT} buyers each, the buyers of one seat in flight together
- fenced (the default): the event's seat list from memory (read from Postgres once per event), then one Redis script takes a lease per seat; only the winner opens a Postgres transaction: the per-user lock, the fence rows, one insert that also checks for sold seats and the user's held-seat cap, the HoldPlaced outbox row (6 statements with BEGIN and COMMIT). A loser of a one-seat hold is refused after the Redis script alone
- naive (\`HOLD_MECHANISM=naive\`, refused under NODE_ENV=production): the same seat list from memory, then every request opens a Postgres transaction: the per-user lock, SELECT ... FOR UPDATE on the seat rows, a look for a live hold on them, then the same checked insert and the HoldPlaced outbox row. A loser waits for the winner's row lock and rolls back
- holds live ${Number(TICKETING.HOLD_TTL_MS) / 60_000} min (HOLD_TTL_MS), so none expires during the run
- the same ticketing bundle for both, restarted on its port with the one setting changed; the fenced scenarios ran first
- ticketing CPU: user + system time of its process over the scenario (/proc), less its idle rate measured over the 11 s before the scenario, per request
- Redis scripts + MGETs: EVALSHA, EVAL and MGET calls Redis served over the scenario (INFO commandstats), per request: the hold's round trips to Redis; the stack's other services share this Redis and their script calls count too
- Postgres transactions: committed + rolled back in ticketing's database over the scenario (pg_stat_database, read with the rows written), per request; ticketing's relay and sweeper count too
- rows written: inserts + updates + deletes (aborted ones included) per table in ticketing's database over the scenario (pg_stat_user_tables, read 11 s after, once every backend has reported); outbox rows are also updated and deleted by the relay as it publishes. Row locks taken by SELECT ... FOR UPDATE are not counted there
- seats held twice: seats in two active, unexpired holds; seats sold twice: the ticketing verifier (@suite/invariants), both read after each scenario

${table}

${lines.join('\n')}
${
  PROFILE
    ? `
## Where ticketing's CPU went (HOLDS_BENCH_PROFILE=1: this run's figures include the profiler's cost)

${scenarios.map((s) => `### ${s.mechanism}, ${s.shape}\n\n${s.profile ?? '(no profile)'}`).join('\n\n')}
`
    : ''
}
Reproduce: \`npm run bench:holds\` (after \`npm run infra:up\`).
`,
  );
  console.log(`\n${table}\n\n${lines.join('\n')}\n\nwritten to ${file}`);
}

// Stops the profiler started before the scenario and summarises the profile it writes.
async function takeProfile(pid: number, n: number): Promise<string> {
  process.kill(pid, 'SIGUSR2');
  const file = join(PROFILE_DIR, `ticketing-${pid}-${n}.cpuprofile`);
  for (let waited = 0; !existsSync(file); waited += 100) {
    if (waited > 30_000) return `(no profile at ${file})`;
    await new Promise((r) => setTimeout(r, 100));
  }
  return summariseProfile(file);
}

// Self time by function and by place, and the share of busy time with a place anywhere on
// the stack (its callees included); the profiler's own control code is left out.
function summariseProfile(file: string): string {
  const shares = readCpuProfile(file, {
    leaveOut: (frame) => frame.url.endsWith('holds-profile.preload.cjs'),
  });
  const top = (map: Map<string, number>, count: number) =>
    topShares(shares, map, count).map(([name, share]) => `${share} ${name}`);
  return [
    `- busy: ${(shares.busyUs / 1000).toFixed(0)} ms sampled`,
    `- self time by place: ${top(shares.byPlace, 8).join('; ')}`,
    `- on the stack: ${top(shares.onStack, 10).join('; ')}`,
    `- top functions (self time):`,
    ...top(shares.byFrame, 15).map((line) => `  - ${line}`),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
