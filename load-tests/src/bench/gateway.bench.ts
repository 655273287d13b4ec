// The gateway's cost on the two hot writes, in one run: seat holds and bids, each through the
// gateway and straight to the owning service, on the same stack, seats and tokens. Each
// target is warmed first on requests of its own. With --profile a second gateway, started
// from the same bundle and environment under `node --cpu-prof`, takes the proxied traffic
// and its top frames go into the results file.
// Two loads: saturation (closed loop: the throughput ratio, and the CPU each process spends
// per request, which bounds that ratio on a machine whose cores every process shares) and a
// fixed moderate rate (open loop: the latency the gateway adds when nothing queues), each
// request timed to the µs.
// Appends a dated section to load-tests/results/gateway-proxy-<date>.md.
// Usage: gateway.bench.ts [requests per scenario] [connections] [--profile] [--rate=<req/s>]
//        [--label=<what this run is>]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, running, startServices } from '@suite/testing';
import { Pool } from 'undici';
import { readCpuProfile, topShares } from '../lib/cpu-profile';
import { GatewayClient } from '../lib/gateway-client';
import { runContext, workspaceRoot, writeResults } from '../lib/results';
import { summarize } from '../lib/stats';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const PROFILE = process.argv.includes('--profile');
const REQUESTS = Number(args[0] ?? 2_000);
const CONNECTIONS = Number(args[1] ?? 32);
// The fixed rate: well under what either path sustains on this machine, so a request
// rarely waits for another and p50 is the path's own latency.
const FIXED_RATE = Number(option('rate') ?? 100);
const FIXED_REQUESTS = FIXED_RATE * 10;
const FIXED_CONNECTIONS = 16;
const LABEL = option('label') ?? 'run';
// Another checkout whose gateway bundle is measured beside this one's (before and after in
// one run, on the same stack and under the same noise).
const BASELINE = option('baseline');
const WARMUP = 300;
const IDLE_SAMPLE_MS = 5_000;
// A process is settled once it spends at most this much CPU over its idle rate in 0.5 s.
const SETTLED_MS_PER_HALF_SECOND = 25;
const SETTLE_MAX_MS = 20_000;
// Ticketing lets one user hold at most 20 seats of an event: enough users that the holds of
// three targets stay under it.
const USERS = 1_000;
// Targets: at least 0.8x the service's throughput and at most 2 ms added at p50.
const TARGET_RATIO = 0.8;
const TARGET_ADDED_P50_MS = 2;

interface Measured {
  name: string;
  // The gateway it went through (its label), none when straight to the service.
  gateway: string | undefined;
  service: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  // CPU time (user + system) per request, ms, of each process that served it.
  cpuMsPerRequest: Record<string, number>;
}

interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const TICKS_PER_SECOND = 100;

// A process's CPU time so far (user + system), ms, from /proc; 0 once it has exited.
function cpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; 12 and 13 after the command's ")".
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

// Postgres (every backend) and Redis: the work behind a hold or a bid that no Node process
// does. Other test runs share them, so the bench runs under the stack lock. Kafka is left
// out: its JVM's idle CPU (GC, timers) swings more than the outbox relay's share.
function infrastructurePids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        return comm === 'postgres' || comm === 'redis-server';
      } catch {
        return false;
      }
    });
}

// Counts the answers of one load and times each request from its send to the end of its
// response's body, to the µs.
class Tally {
  private readonly latencies: number[] = [];
  private ok = 0;
  private non2xx = 0;
  private errors = 0;

  async send(pool: Pool, request: BenchRequest): Promise<void> {
    const sent = performance.now();
    try {
      const response = await pool.request(request);
      await response.body.arrayBuffer();
      this.latencies.push(performance.now() - sent);
      if (response.statusCode < 300) this.ok++;
      else this.non2xx++;
    } catch {
      this.errors++;
    }
  }

  result(requests: number, seconds: number): Load {
    const { p50, p99 } = summarize(this.latencies);
    const { ok, non2xx, errors } = this;
    return { requests, perSecond: (ok + non2xx) / seconds, p50, p99, ok, non2xx, errors };
  }
}

// Open loop: request i leaves at start + i / perSecond whatever the earlier ones are doing.
async function fixedRate(
  url: string,
  amount: number,
  perSecond: number,
  build: (i: number) => BenchRequest,
): Promise<Load> {
  const pool = new Pool(url, { connections: FIXED_CONNECTIONS });
  const tally = new Tally();
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < amount; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(tally.send(pool, build(i)));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return tally.result(amount, seconds);
}

// Closed loop (saturation): each of `connections` clients sends its next request as soon as
// its last one is answered. Timed by the wall clock to the µs: autocannon's duration counts
// whole seconds, which made a 2,000-request run's rate 2000 / (N + 0.01).
async function closedLoop(
  url: string,
  amount: number,
  connections: number,
  build: (i: number) => BenchRequest,
): Promise<Load> {
  const pool = new Pool(url, { connections });
  const tally = new Tally();
  let next = 0;
  const client = async () => {
    while (next < amount) await tally.send(pool, build(next++));
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return tally.result(amount, seconds);
}

async function main(): Promise<void> {
  console.log('starting the services on empty databases');
  const ports = await startServices(undefined, { fresh: true });
  const stackGateway = `http://127.0.0.1:${ports.gateway}`;
  const gateway = new GatewayClient(stackGateway);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => gateway.token(`gw-bench-${i}`)),
  );
  const seller = await gateway.token('gw-bench-seller');
  const token = (i: number) => tokens[i % USERS] ?? '';
  const events = await gateway.call<{ events: { id: string }[] }>('events', 'GET', '/events', {
    token: token(0),
  });
  const eventId = events.body.events[0]?.id ?? '';
  // Fresh seats for every target: the gateways and ticketing itself.
  const needed = (BASELINE === undefined ? 2 : 3) * (REQUESTS + WARMUP + FIXED_REQUESTS);
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

  // The gateways measured: this checkout's bundle (the stack's, or a copy under the profiler)
  // and, with --baseline, another checkout's bundle beside it, in the same run.
  const gateways: Gateway[] = [
    PROFILE
      ? await spawnGateway('this checkout', workspaceRoot, true)
      : {
          label: 'this checkout',
          url: stackGateway,
          pid: running('gateway')?.pid ?? 0,
          stop: async () => undefined,
        },
  ];
  if (BASELINE !== undefined) gateways.push(await spawnGateway('baseline', BASELINE, PROFILE));
  const direct = {
    holds: `http://127.0.0.1:${ports.ticketing}`,
    bids: `http://127.0.0.1:${ports.auction}`,
  };
  const services = { holds: 'ticketing', bids: 'auction' } as const;

  const json = (i: number) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${token(i)}`,
  });
  // A hold takes one fresh seat: each load gets seats of its own.
  let seatCursor = 0;
  const holdsOf = (amount: number) => {
    const mine = seats.slice(seatCursor, (seatCursor += amount));
    return (i: number): BenchRequest => ({
      method: 'POST',
      path: '/holds',
      headers: json(i),
      body: JSON.stringify({ eventId, seatIds: [mine[i % mine.length]] }),
    });
  };
  // Bids rise by 2 on one auction per load.
  const bidsOf = async (target: string) => {
    const created = await gateway.call<{ id: string }>('create', 'POST', '/auctions', {
      token: seller,
      body: {
        title: `gateway bench ${target}`,
        reservePrice: 0,
        bidIncrement: 1,
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    return (i: number): BenchRequest => ({
      method: 'POST',
      path: `/auctions/${created.body.id}/bids`,
      headers: json(i),
      body: JSON.stringify({ amount: 100 + i * 2 }),
    });
  };
  const cannon = (url: string, amount: number, build: (i: number) => BenchRequest) =>
    closedLoop(url, amount, CONNECTIONS, build);

  const pids: Record<string, number[]> = {
    ...Object.fromEntries(gateways.map((g) => [g.label, [g.pid]])),
    ticketing: [running('ticketing')?.pid ?? 0],
    auction: [running('auction')?.pid ?? 0],
    infrastructure: infrastructurePids(),
    // This process: the load clients run in it, on the same cores.
    client: [process.pid],
  };
  // CPU so far of every process of each group, by pid.
  const cpuNow = () =>
    Object.fromEntries(
      Object.entries(pids).map(([k, group]) => [k, new Map(group.map((pid) => [pid, cpuMs(pid)]))]),
    );
  // What each group spent between two readings: a Postgres backend that exited meanwhile (0
  // at the end) is left out rather than counted as negative.
  const spent = (from: ReturnType<typeof cpuNow>, to: ReturnType<typeof cpuNow>, k: string) => {
    let sum = 0;
    for (const [pid, end] of to[k] ?? new Map<number, number>()) {
      if (end > 0) sum += end - (from[k]?.get(pid) ?? end);
    }
    return sum;
  };
  // Each process' CPU while idle (timers, pollers, relays), taken out of the per-request
  // figures.
  const idleFrom = cpuNow();
  await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
  const idleAt = cpuNow();
  const idleMsPerS = Object.fromEntries(
    Object.keys(pids).map((k) => [k, spent(idleFrom, idleAt, k) / (IDLE_SAMPLE_MS / 1000)]),
  );
  // Before each scenario, until the services are idle again (ticketing's outbox relay drains
  // the events of the holds just placed): the next target must not pay for the previous one.
  const settle = async () => {
    const deadline = Date.now() + SETTLE_MAX_MS;
    while (Date.now() < deadline) {
      const from = cpuNow();
      await new Promise((r) => setTimeout(r, 500));
      const to = cpuNow();
      const busy = ['ticketing', 'auction', ...gateways.map((g) => g.label)].some(
        (k) => spent(from, to, k) - (idleMsPerS[k] ?? 0) * 0.5 > SETTLED_MS_PER_HALF_SECOND,
      );
      if (!busy) return;
    }
  };
  const measured: Measured[] = [];
  const measure = async (
    name: string,
    gateway: string | undefined,
    service: string,
    run: () => Promise<Omit<Measured, 'name' | 'cpuMsPerRequest' | 'gateway' | 'service'>>,
  ): Promise<Measured> => {
    await settle();
    console.log(`\n${name}`);
    const before = cpuNow();
    const startedAt = performance.now();
    const result = await run();
    const seconds = (performance.now() - startedAt) / 1000;
    const after = cpuNow();
    const done = result.ok + result.non2xx;
    const cpuMsPerRequest = Object.fromEntries(
      Object.keys(pids).map((k) => [
        k,
        // Postgres and Redis serve other runs too: their idle rate swings too much to take
        // out, so theirs is raw.
        (spent(before, after, k) - (k === 'infrastructure' ? 0 : (idleMsPerS[k] ?? 0) * seconds)) /
          done,
      ]),
    );
    const entry = { name, gateway, service, ...result, cpuMsPerRequest };
    console.log(
      `  ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, 2xx ${result.ok}, non-2xx ${result.non2xx}, errors ${result.errors}; CPU ms/request ${JSON.stringify(cpuMsPerRequest)}`,
    );
    measured.push(entry);
    return entry;
  };
  const builders = {
    holds: async (amount: number) => holdsOf(amount),
    bids: async (_amount: number, target?: string) => bidsOf(target ?? 'direct'),
  };
  const kinds = ['holds', 'bids'] as const;
  // Each kind through every gateway, then straight to its service: saturated, then at the
  // fixed rate.
  const pass = async (
    at: string,
    amount: number,
    load: (url: string, build: (i: number) => BenchRequest) => Promise<Load>,
  ) => {
    const results: Record<string, Measured> = {};
    for (const kind of kinds) {
      // The first target of a pass runs in other processes' noise of a different moment:
      // the gateways take turns at going first.
      for (const g of kind === 'bids' ? [...gateways].reverse() : gateways) {
        const build = await builders[kind](amount, `${at} via ${g.label}`);
        results[`${kind} ${g.label}`] = await measure(
          `${kind} through the gateway (${g.label})${at}`,
          g.label,
          services[kind],
          () => load(g.url, build),
        );
      }
      const build = await builders[kind](amount, `${at} direct`);
      results[`${kind} direct`] = await measure(
        `${kind} straight to ${services[kind]}${at}`,
        undefined,
        services[kind],
        () => load(direct[kind], build),
      );
    }
    return results;
  };
  const profiles: string[] = [];
  try {
    console.log('\nwarming every target');
    // Every process caches a token once it has verified it (an ES256 check otherwise), and
    // the services are shared by every path: each token goes through each target once before
    // anything is measured, or the first target of a pass pays the services' checks.
    const everyToken =
      (path: string) =>
      (i: number): BenchRequest => ({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${token(i)}` },
      });
    for (const g of gateways) {
      await cannon(g.url, WARMUP, holdsOf(WARMUP));
      await cannon(g.url, USERS, everyToken('/events'));
      await cannon(g.url, USERS, await bidsOf(`warm-up via ${g.label}`));
    }
    await cannon(direct.holds, WARMUP, holdsOf(WARMUP));
    await cannon(direct.holds, USERS, everyToken('/events'));
    await cannon(direct.bids, USERS, await bidsOf('warm-up direct'));
    const saturation = await pass('', REQUESTS, async (url, build) => cannon(url, REQUESTS, build));
    const fixed = await pass(`, ${FIXED_RATE}/s`, FIXED_REQUESTS, (url, build) =>
      fixedRate(url, FIXED_REQUESTS, FIXED_RATE, build),
    );
    for (const g of gateways) {
      const summary = await g.stop();
      if (summary !== undefined) {
        profiles.push(
          `### Where the gateway's time went (${g.label}, its CPU profile over the whole run)\n\n${summary}`,
        );
      }
    }
    const at = (results: Record<string, Measured>, key: string) => results[key] as Measured;
    const verdicts = gateways.flatMap((g) =>
      kinds.map((kind) =>
        verdict(
          `${kind} (${g.label})`,
          at(saturation, `${kind} ${g.label}`),
          at(saturation, `${kind} direct`),
          at(fixed, `${kind} ${g.label}`),
          at(fixed, `${kind} direct`),
        ),
      ),
    );
    const ceilings = gateways.flatMap((g) =>
      kinds.map((kind) =>
        ceiling(
          `${kind} (${g.label})`,
          at(saturation, `${kind} ${g.label}`),
          at(saturation, `${kind} direct`),
        ),
      ),
    );
    const table = [
      '| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | gateway CPU ms/req | service CPU ms/req | Postgres + Redis CPU ms/req | load generator CPU ms/req |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...measured.map(
        ({
          name,
          gateway,
          service,
          perSecond,
          p50,
          p99,
          ok,
          non2xx,
          errors,
          cpuMsPerRequest: cpu,
        }) =>
          `| ${name} | ${perSecond.toFixed(0)} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${ok} | ${non2xx} | ${errors} | ${gateway === undefined ? '-' : (cpu[gateway] ?? 0).toFixed(3)} | ${(cpu[service] ?? 0).toFixed(3)} | ${(cpu['infrastructure'] ?? 0).toFixed(3)} | ${(cpu['client'] ?? 0).toFixed(3)} |`,
      ),
    ].join('\n');
    const section = `## ${LABEL}

${runContext()}
- saturation: closed loop over undici (each connection sends its next request when the last is answered), timed to the µs, ${REQUESTS} requests per scenario after ${WARMUP} warm-up holds and ${USERS} warm-up bids per target (every user's token through every target once), ${CONNECTIONS} connections, ${USERS} users; a hold takes one fresh seat, bids rise by 2 on one auction per scenario
- fixed rate: ${FIXED_REQUESTS} requests per scenario at ${FIXED_RATE}/s, open loop over ${FIXED_CONNECTIONS} kept-alive connections, each timed from its send to its last body byte (sub-ms)
- CPU ms/req: user + system time of the process over the scenario (from /proc), less its idle rate measured over ${IDLE_SAMPLE_MS / 1000} s before the scenarios, divided by the requests answered; Postgres (all its backends) and Redis raw, without taking out an idle rate (they serve other runs too)
- through the gateway: JWT check, per-user rate limits in Redis, the proxy to the service (which checks the token again)
- gateways: ${gateways.map((g) => `${g.label} (${g.bundle ?? "the stack's, from dist/apps/gateway"}${g.profiled ? ', under `node --cpu-prof`' : ''})`).join('; ')}

${table}

${verdicts.join('\n')}

${ceilings.join('\n')}
${profiles.map((p) => `\n${p}\n`).join('')}
Reproduce: \`npm run bench:gateway\` (after \`npm run infra:up\`); add \`-- 2000 32 --profile\` for the profile, \`--rate=<req/s>\` for the fixed rate, \`--baseline=<checkout with a built gateway>\` to measure another build beside this one.
`;
    const file = appendResults(section);
    console.log(
      `\n${table}\n\n${verdicts.join('\n')}\n${ceilings.join('\n')}\n${profiles.join('\n')}\nappended to ${file}`,
    );
  } finally {
    for (const g of gateways) await g.stop();
  }
}

type Load = Omit<Measured, 'name' | 'cpuMsPerRequest' | 'gateway' | 'service'>;

interface Gateway {
  label: string;
  url: string;
  pid: number;
  // Where its bundle came from, when the bench started it.
  bundle?: string;
  profiled?: boolean;
  // Ends a gateway the bench started; its profile's summary if it ran under the profiler.
  stop: () => Promise<string | undefined>;
}

// One file per day: the first run writes its title, each run adds a section.
function appendResults(section: string): string {
  const day = new Date().toISOString().slice(0, 10);
  const file = join(workspaceRoot, 'load-tests/results', `gateway-proxy-${day}.md`);
  if (!existsSync(file))
    return writeResults('gateway-proxy', `# The gateway's cost on holds and bids\n\n${section}`);
  appendFileSync(file, `\n${section}`);
  return file;
}

// The most a proxied path can reach on cores that every process shares: each request costs
// the service u ms of CPU, Postgres and Redis i, the load generator c, and the gateway g, so
// proxied / direct ≤ (c + u + i) / (c + u + i + g). Measured at saturation, where the ratio
// is: at a low rate every process spends more per request (each wakes up for one request).
// It bounds a CPU-bound run; one that waits on Postgres, or shares the cores with other
// work (which then gets a smaller share), can do better.
function ceiling(what: string, viaGateway: Measured, direct: Measured): string {
  const g = viaGateway.cpuMsPerRequest[viaGateway.gateway ?? ''] ?? 0;
  const u = direct.cpuMsPerRequest[direct.service] ?? 0;
  const i = direct.cpuMsPerRequest['infrastructure'] ?? 0;
  const c = direct.cpuMsPerRequest['client'] ?? 0;
  const all = c + u + i;
  return `- ${what}: gateway g = ${g.toFixed(3)} ms CPU per request; straight, ${direct.service} u = ${u.toFixed(3)} ms, Postgres + Redis i = ${i.toFixed(3)} ms (raw), load generator c = ${c.toFixed(3)} ms; ceiling (c + u + i) / (c + u + i + g) = **${(all / Math.max(all + g, 0.001)).toFixed(2)}x** (the service alone, u / (u + g): ${(u / Math.max(u + g, 0.001)).toFixed(2)}x)`;
}

function verdict(
  what: string,
  viaGateway: Measured,
  direct: Measured,
  viaGatewayAtRate: Measured,
  directAtRate: Measured,
): string {
  const ratio = viaGateway.perSecond / Math.max(direct.perSecond, 0.001);
  const addedSaturated = viaGateway.p50 - direct.p50;
  const added = viaGatewayAtRate.p50 - directAtRate.p50;
  const met = ratio >= TARGET_RATIO && added <= TARGET_ADDED_P50_MS;
  return `- ${what}: through the gateway / straight at saturation = **${ratio.toFixed(2)}x** (target ≥ ${TARGET_RATIO}x; p50 ${addedSaturated.toFixed(1)} ms apart, mostly queueing); **${added.toFixed(2)} ms** added at p50 at ${FIXED_RATE}/s (target ≤ ${TARGET_ADDED_P50_MS} ms): ${met ? 'met' : 'not met'}`;
}

// A gateway from the bundle of the checkout at `root` (dist/apps/gateway, built) with the
// stack gateway's own environment (read from /proc), on a port of its own, optionally under
// the V8 CPU profiler. stop() ends it (SIGTERM: a profile is written on a clean exit) and
// summarises its profile.
async function spawnGateway(label: string, root: string, profile: boolean): Promise<Gateway> {
  const stack = running('gateway');
  if (!stack) throw new Error('the stack has no running gateway to copy');
  const env = Object.fromEntries(
    readFileSync(`/proc/${stack.pid}/environ`, 'utf8')
      .split('\0')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const port = await freePort();
  const metricsPort = await freePort();
  const dir = join(workspaceRoot, '.local/profiles', `gateway-${label.replace(/\W+/g, '-')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bundle = join(root, 'dist/apps/gateway/main.js');
  if (!existsSync(bundle)) throw new Error(`no gateway bundle at ${bundle}: build it first`);
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), bundle],
    {
      cwd: root,
      env: { ...env, PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null)
      throw new Error(`the ${label} gateway exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${label} gateway was not ready within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let summary: string | undefined;
  return {
    label,
    url,
    pid: child.pid ?? 0,
    bundle: root === workspaceRoot ? 'dist/apps/gateway' : bundle,
    profiled: profile,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      if (!profile) return undefined;
      if (summary === undefined) {
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        summary = file ? summariseProfile(join(dir, file)) : '(no profile was written)';
      }
      return summary;
    },
  };
}

// Module loading at start-up, left out: the profile spans the process' whole life.
const STARTUP_FRAME = /^(wrapSafe|compileFunction|Module\._compile|Module\._load)$/;

// Self time by function and by package, and time with a package anywhere on the stack (its
// calls included), as shares of the busy time sampled after start-up.
export function summariseProfile(file: string): string {
  const shares = readCpuProfile(file, {
    leaveOut: (frame) => STARTUP_FRAME.test(frame.functionName),
  });
  const rows = (map: Map<string, number>, count: number, skip: string[] = []) =>
    topShares(shares, map, count, skip)
      .map(([name, share]) => `| ${name} | ${share} |`)
      .join('\n');
  return [
    `${(shares.busyUs / 1000).toFixed(0)} ms busy after start-up.`,
    '',
    '| package | self time |',
    '| --- | ---: |',
    rows(shares.byPlace, 10),
    '',
    '| package anywhere on the stack (its callees included) | share |',
    '| --- | ---: |',
    rows(shares.onStack, 14, ['native / GC', 'node internals']),
    '',
    '| frame | self time |',
    '| --- | ---: |',
    rows(shares.byFrame, 15),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
