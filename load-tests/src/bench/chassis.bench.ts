// What the service chassis costs per request: GET /health (liveness, no dependency touched)
// on every service, each a real process started from its sources with its production
// defaults (LOG_LEVEL=info, logs to a file), against plain Fastify answering the same small
// JSON, at the same concurrency, in one run. The route goes through everything a request
// meets: the request-id hook, the log binding, the metrics and access-log hook, the global
// guard, the validation pipe and the exception filter. Not a test: it prints each service's
// ratio to bare Fastify and writes load-tests/results/chassis-<date>.md.
//
//   npm run bench:chassis -- [--seconds 5] [--connections 32] [--rounds 3]
//                            [--services ticketing,rate-limiter] [--profile ticketing]
//                            [--log-level debug]
//
// --profile <service>[,<service>] (or "bare" for bare Fastify) takes a CPU profile of each named service over its last
// round (the profiler's cost is in that round's figure) and prints and records its top
// frames. The profiler is driven by signals (holds-profile.preload.cjs): `node --cpu-prof`
// writes only on a normal exit, and the services end by re-raising SIGTERM.
//
// --compare <dir> also runs each service from <dir>, another checkout of the repository
// (e.g. `git worktree add <dir> <commit>` with node_modules linked), named
// "<service> @<dir's name>": a before/after of a change in one run, in the same rotation.
//
// Before the rounds, each process' CPU time is read over a few idle seconds: what its
// timers (pollers, sweepers, flushes, metrics) cost with no request at all.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@suite/contracts';
import { generateEs256KeyPair } from '@suite/service-kit';
import {
  ENDPOINTS_FILE,
  forkTs,
  freePorts,
  killAndWait,
  nextMessage,
  parseEndpointsFile,
  uniqueName,
} from '@suite/testing';
import { autocannon, rate } from '../lib/autocannon';
import { readCpuProfile, topShares } from '../lib/cpu-profile';
import { startLoggedService, type LoggedService } from './logged-service';
import { libraryVersion, runContext, workspaceRoot, writeResults } from '../lib/results';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const SECONDS = Number(arg('seconds') ?? 5);
const CONNECTIONS = Number(arg('connections') ?? 32);
const ROUNDS = Number(arg('rounds') ?? 3);
const SERVICES = (arg('services')?.split(',') ?? [
  'psp-simulator',
  'payments',
  'ticketing',
  'auction',
  'rate-limiter',
  'gateway',
]) as ServiceName[];
const PROFILED = arg('profile')?.split(',') ?? [];
// "bare" names the bare Fastify server.
const PROFILE_BARE = PROFILED.includes('bare');
const PROFILE = PROFILED.filter((name) => name !== 'bare') as ServiceName[];
const PROFILE_DIR = join(workspaceRoot, '.local/profiles/chassis');
const PRELOAD = join(__dirname, 'holds-profile.preload.cjs');
const IDLE_SECONDS = 3;
const COMPARE = arg('compare');
// info, as the services ship: probes' access lines are at debug and not written. debug: every
// request writes its line, as any other route's request does at info.
const LOG_LEVEL = arg('log-level') ?? 'info';
for (const s of [...SERVICES, ...PROFILE]) {
  if (!SERVICE_NAMES.includes(s)) throw new Error(`unknown service "${s}"`);
}

const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
const need = (name: string) => {
  const value = infra[name];
  if (!value) throw new Error(`${name} is not in ${ENDPOINTS_FILE}: run npm run infra:up`);
  return value;
};
const keys = generateEs256KeyPair();
const PREFIX = `bench-chassis-${process.pid}:`;
const WITH_DATABASE: ServiceName[] = ['psp-simulator', 'payments', 'ticketing', 'auction'];

type Target = LoggedService;

// Each service on its own scratch database, with every Kafka consumer and background relay
// that could join the shared stack's consumer groups turned off. Health, metrics, auth and
// logging are exactly as they ship.
function environment(
  service: ServiceName,
  database: string,
  metricsPort: number,
): Record<string, string> {
  const common = {
    LOG_LEVEL,
    REDIS_URL: need('REDIS_URL'),
    REDIS_KEY_PREFIX: PREFIX,
    KAFKA_BROKERS: need('KAFKA_BROKERS'),
    JWT_PUBLIC_KEY: keys.publicKeyPem,
  };
  const nowhere = 'http://127.0.0.1:9';
  const specific: Partial<Record<ServiceName, Record<string, string>>> = {
    'psp-simulator': { DATABASE_URL: database, PSP_CALLBACK_ORIGINS: nowhere },
    payments: {
      DATABASE_URL: database,
      PSP_URL: nowhere,
      OUTBOX_RELAY: 'off',
      OUTBOX_WAKEUPS: 'off',
      SAGA_PARTICIPANT: 'off',
    },
    ticketing: { DATABASE_URL: database, SAGA_WORKERS: 'off', OUTBOX_WAKEUPS: 'off' },
    auction: { DATABASE_URL: database, CLOSER: 'off', OUTBOX_RELAY: 'off' },
    'rate-limiter': {},
    gateway: {
      TICKETING_URL: nowhere,
      PAYMENTS_URL: nowhere,
      AUCTION_URL: nowhere,
      RATE_LIMITER_URL: nowhere,
      METRICS_PORT: String(metricsPort),
    },
  };
  const own = specific[service];
  if (own === undefined) throw new Error(`no benchmark settings for ${service} yet`);
  const profiling: Record<string, string> = PROFILE.includes(service)
    ? { NODE_OPTIONS: `--require ${PRELOAD}`, HOLDS_PROFILE_DIR: PROFILE_DIR }
    : {};
  return { ...common, ...own, ...profiling };
}

async function startService(
  service: ServiceName,
  database: string,
  root?: string,
): Promise<LoggedService> {
  const [port, metricsPort] = await freePorts(2);
  const name = root === undefined ? service : `${service} @${basename(root)}`;
  return startLoggedService(service, environment(service, database, metricsPort as number), {
    port: port as number,
    logName: `chassis-bench-${name.replace(/[^\w-]+/g, '-')}`,
    root,
    name,
  });
}

interface Measured {
  perSecond: number;
  // The target process' own CPU time per answered request, in µs: what the chassis costs
  // per request, whatever share of the 2 cores the load generator and others left it.
  cpuUsPerRequest: number | undefined;
}

async function measure(target: Target, seconds: number): Promise<Measured> {
  const before = target.pid === undefined ? undefined : cpuMs(target.pid);
  const result = await autocannon({
    url: `${target.url}/health`,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.url}/health: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  const used = before === undefined ? undefined : cpuMs(target.pid as number) - before;
  return {
    perSecond: rate(result),
    cpuUsPerRequest: used === undefined ? undefined : (used * 1000) / Math.max(1, result['2xx']),
  };
}

// CPU time (user + system) the process has used so far, in ms, from /proc.
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10; // USER_HZ is 100 on Linux
}

// The CPU each process burns with no request, over the same idle seconds for all.
async function idleCpu(targets: Target[]): Promise<Map<string, number>> {
  const withPid = targets.filter((t) => t.pid !== undefined);
  const before = withPid.map((t) => cpuMs(t.pid as number));
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  return new Map(
    withPid.map((t, i) => [
      t.name,
      (cpuMs(t.pid as number) - (before[i] as number)) / IDLE_SECONDS,
    ]),
  );
}

// Stops the profiler started before the round and summarises the profile it writes.
async function takeProfile(target: Target, n: number): Promise<string> {
  const pid = target.pid as number;
  process.kill(pid, 'SIGUSR2');
  const file = join(PROFILE_DIR, `ticketing-${pid}-${n}.cpuprofile`);
  for (let waited = 0; !existsSync(file); waited += 100) {
    if (waited > 30_000) return `(no profile at ${file})`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const shares = readCpuProfile(file, { leaveOut: (frame) => frame.url.endsWith(PRELOAD) });
  const top = (map: Map<string, number>, count: number) =>
    topShares(shares, map, count).map(([name, share]) => `${share} ${name}`);
  return [
    `- busy: ${(shares.busyUs / 1000).toFixed(0)} ms sampled`,
    `- self time by place: ${top(shares.byPlace, 8).join('; ')}`,
    `- on the stack: ${top(shares.onStack, 12).join('; ')}`,
    `- top functions (self time):`,
    ...top(shares.byFrame, 20).map((line) => `  - ${line}`),
  ].join('\n');
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const admin = new Client({ connectionString: need('DATABASE_URL') });
  await admin.connect();
  const scratch = new Map<string, string>();
  const targets: Target[] = [];
  try {
    for (const service of SERVICES.filter((s) => WITH_DATABASE.includes(s))) {
      const name = uniqueName(`chassis ${service}`);
      await admin.query(`create database ${name}`);
      scratch.set(service, name);
    }
    const bare = forkTs(
      join(__dirname, 'bare-fastify.server.ts'),
      [JSON.stringify({ status: 'ok', service: 'bare-fastify' })],
      PROFILE_BARE ? { NODE_OPTIONS: `--require ${PRELOAD}`, HOLDS_PROFILE_DIR: PROFILE_DIR } : {},
    );
    const { port } = await nextMessage<{ port: number }>(bare);
    targets.push({
      name: 'bare Fastify',
      url: `http://127.0.0.1:${port}`,
      pid: bare.pid,
      stop: () => killAndWait(bare, 'SIGTERM'),
    });
    for (const service of SERVICES) {
      const database = scratch.get(service);
      const url = need('DATABASE_URL').replace(/\/[^/]*$/, `/${database ?? 'postgres'}`);
      targets.push(await startService(service, url));
      console.log(`${service} ready`);
      if (COMPARE !== undefined) {
        // Its own scratch database: the two must not share migrations or rows.
        const other = uniqueName(`chassis ${service} compare`);
        if (database !== undefined) {
          await admin.query(`create database ${other}`);
          scratch.set(`${service} compare`, other);
        }
        const otherUrl = need('DATABASE_URL').replace(
          /\/[^/]*$/,
          `/${database ? other : 'postgres'}`,
        );
        targets.push(await startService(service, otherUrl, resolve(COMPARE)));
        console.log(`${service} from ${COMPARE} ready`);
      }
    }
    // Warm-up: JIT, connections and lazily built caches on every side.
    for (const target of targets) await measure(target, 2);
    const idle = await idleCpu(targets);
    for (const [name, ms] of idle) console.log(`idle: ${name} ${ms.toFixed(1)} ms CPU per s`);
    rmSync(PROFILE_DIR, { recursive: true, force: true });
    mkdirSync(PROFILE_DIR, { recursive: true });
    const profiles = new Map<string, string>();
    const rates = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const cpuCosts = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so that no target always runs first or last.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const target of order) {
        const profiled =
          round === ROUNDS - 1 &&
          (PROFILE.includes(target.name as ServiceName) ||
            (PROFILE_BARE && target.name === 'bare Fastify')) &&
          target.pid;
        if (profiled) process.kill(target.pid as number, 'SIGUSR2');
        const { perSecond, cpuUsPerRequest } = await measure(target, SECONDS);
        if (profiled) profiles.set(target.name, await takeProfile(target, 1));
        rates.get(target.name)?.push(perSecond);
        // The profiled round's CPU includes the profiler's.
        if (cpuUsPerRequest !== undefined && !profiled) {
          cpuCosts.get(target.name)?.push(cpuUsPerRequest);
        }
        console.log(
          `round ${round + 1}: ${target.name} ${perSecond.toFixed(0)} req/s, ${cpuUsPerRequest?.toFixed(1) ?? '-'} µs CPU per request`,
        );
      }
    }
    const bareRates = rates.get('bare Fastify') as number[];
    const bareCpu = cpuCosts.get('bare Fastify') as number[];
    const rows = targets.map((t) => {
      const own = rates.get(t.name) as number[];
      const ratios = own.map((r, i) => r / (bareRates[i] as number));
      const cpu = cpuCosts.get(t.name) as number[];
      const cpuText = cpu.length
        ? `${median(cpu).toFixed(1)} (${(median(bareCpu) / median(cpu)).toFixed(2)}x)`
        : '-';
      return {
        name: t.name,
        line: `| ${t.name} | ${own.map((r) => r.toFixed(0)).join(' / ')} | ${median(own).toFixed(0)} | ${median(ratios).toFixed(2)}x | ${cpuText} | ${idle.get(t.name)?.toFixed(1) ?? '-'} |`,
        ratio: median(ratios),
      };
    });
    for (const row of rows) console.log(`${row.name}: ${row.ratio.toFixed(2)}x bare Fastify`);
    const report = [
      '# Chassis: GET /health on every service vs bare Fastify',
      '',
      runContext(),
      `- workload: autocannon ${libraryVersion('autocannon')}, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per target per round, ${ROUNDS} rounds in rotating order after a 2 s warm-up each; the load generator runs in the bench process on the same 2 cores`,
      `- bare Fastify ${libraryVersion('fastify')}: defaults (no logger), GET /health answering {"status":"ok","service":"bare-fastify"}`,
      `- services: one process each, from source through @swc-node/register, LOG_LEVEL=${LOG_LEVEL} with logs to a file (${LOG_LEVEL === 'info' ? "the probes' access lines are at debug, so not written" : 'an access line written per request, as for any other route at info'}), scratch databases, Kafka consumers and relays off; GET /health answers {"status":"ok","service":"<name>"} through the whole chassis`,
      '',
      "| target | req/s per round | median req/s | median ratio to bare Fastify (same round) | its own CPU per request, µs (bare Fastify's / its) | idle CPU, ms per s |",
      '| ------ | --------------- | ------------ | ----------------------------------------- | -------------------------------------------------- | ------------------ |',
      ...rows.map((r) => r.line),
      '',
      ...[...profiles].flatMap(([name, summary]) => [
        `## ${name}: CPU profile over its last round (this round's figure includes the profiler's cost)`,
        '',
        summary,
        '',
      ]),
      `Reproduce: \`npm run bench:chassis -- --seconds ${SECONDS} --connections ${CONNECTIONS} --rounds ${ROUNDS} --log-level ${LOG_LEVEL}${PROFILED.length ? ` --profile ${PROFILED.join(',')}` : ''}${COMPARE ? ` --compare ${COMPARE}` : ''}\``,
      '',
    ].join('\n');
    console.log(report);
    console.log(`written ${writeResults('chassis', report)}`);
  } finally {
    for (const target of targets) await target.stop().catch(() => undefined);
    for (const name of scratch.values()) {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    }
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
