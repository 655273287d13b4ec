// Starts, stops and reports the suite's services as background processes of the project's
// own, next to the native infrastructure: one process per service, a pid file in
// .local/run/services, a log in .local/logs/<service>.log, readiness from /health/ready.
// A test may also kill one service (kill -9 by default) and start it again as it was: same
// port, same extra environment, so the gateway and its peers find it where it was.
// Usage: services.ts start|start-fresh|start-fresh-fast [service...] | stop | status
//        | kill <service...> | restart <service...>
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DEFAULT_PORTS, SERVICE_NAMES, TOPICS, type ServiceName } from '@suite/contracts';
import { ENDPOINTS_FILE, findWorkspaceRoot, parseEndpointsFile } from '../endpoints/endpoints';
import { ensureJwtKeys } from './jwt-keys';

const ROOT = findWorkspaceRoot(__dirname);
const STATE = join(ROOT, '.local');

// The endpoints file that `npm run infra:up` writes.
function readEndpoints(): Record<string, string> {
  const file = join(ROOT, ENDPOINTS_FILE);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run infra:up\` first`);
  const parsed = parseEndpointsFile(readFileSync(file, 'utf8'));
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

const RUN = join(STATE, 'run/services');
const LOGS = join(STATE, 'logs');
// Upstreams first, the gateway last (STARTS_AFTER says which wait for which).
export const START_ORDER: readonly ServiceName[] = [
  'psp-simulator',
  'payments',
  'ticketing',
  'auction',
  'rate-limiter',
  'scheduler',
  'web-simulator',
  'crawler',
  'gateway',
];

export interface Running {
  service: ServiceName;
  pid: number;
  port: number;
  // The extra environment it was started with (a profile's overrides), for a restart.
  overrides?: Record<string, string>;
}

const pidFile = (s: ServiceName) => join(RUN, `${s}.json`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child that its parent has not reaped yet still answers signal 0: a zombie is dead.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

// The last start of a service, whether or not its process still runs: a killed service
// keeps its entry so that it can be started again on the same port.
function recorded(service: ServiceName): Running | undefined {
  if (!existsSync(pidFile(service))) return undefined;
  return JSON.parse(readFileSync(pidFile(service), 'utf8')) as Running;
}

export function running(service: ServiceName): Running | undefined {
  const entry = recorded(service);
  return entry && alive(entry.pid) ? entry : undefined;
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// The default port, or the next free one when something else holds it.
async function choosePort(service: ServiceName, taken: Set<number>): Promise<number> {
  let port: number = DEFAULT_PORTS[service];
  while (taken.has(port) || !(await portFree(port))) port += 10;
  taken.add(port);
  return port;
}

async function ready(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Whether a service this run started answers its readiness check now (asked at least once,
// and again for up to `withinMs`).
export async function isServiceReady(service: ServiceName, withinMs = 0): Promise<boolean> {
  const entry = running(service);
  return entry ? ready(entry.port, withinMs) : false;
}

export type ServicePorts = Record<ServiceName, number>;

// Environment of each service: the infrastructure from the endpoints file, the ports chosen
// for its peers, and the demo's JWT keys. Only the gateway gets the private key.
function environment(
  service: ServiceName,
  ports: ServicePorts,
  infra: Record<string, string>,
): NodeJS.ProcessEnv {
  const keys = ensureJwtKeys();
  const url = (s: ServiceName) => `http://127.0.0.1:${ports[s]}`;
  const database = (name: string) => infra[`${name.toUpperCase()}_DATABASE_URL`] ?? '';
  const common = {
    PORT: String(ports[service]),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REDIS_URL: infra['REDIS_URL'] ?? '',
    KAFKA_BROKERS: infra['KAFKA_BROKERS'] ?? '',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    // Every Redis key of this generation of the stack; a fresh start takes a new prefix.
    REDIS_KEY_PREFIX: stackState().redisKeyPrefix,
  };
  const specific: Record<ServiceName, Record<string, string>> = {
    // Webhooks only ever to payments, wherever this stack put it.
    'psp-simulator': {
      DATABASE_URL: database('psp_simulator'),
      PSP_CALLBACK_ORIGINS: url('payments'),
    },
    payments: { DATABASE_URL: database('payments'), PSP_URL: url('psp-simulator') },
    ticketing: { DATABASE_URL: database('ticketing') },
    auction: { DATABASE_URL: database('auction') },
    'rate-limiter': {},
    // Callback jobs may target only its own loopback sink, wherever this stack put it.
    scheduler: { DATABASE_URL: database('scheduler'), CALLBACK_ORIGINS: url('scheduler') },
    // The generated web the crawler crawls; it needs nothing but its port.
    'web-simulator': {},
    // The crawler fetches only from 127.0.0.1: the web simulator's port is where every
    // web.test host is.
    crawler: {
      DATABASE_URL: database('crawler'),
      WEB_SIMULATOR_PORT: String(ports['web-simulator']),
    },
    gateway: {
      TICKETING_URL: url('ticketing'),
      PAYMENTS_URL: url('payments'),
      AUCTION_URL: url('auction'),
      RATE_LIMITER_URL: url('rate-limiter'),
      SCHEDULER_URL: url('scheduler'),
      CRAWLER_URL: url('crawler'),
      // Development tokens for the demo and the end-to-end tests; off in any real deployment.
      DEV_TOKENS: 'on',
      DEV_TOKEN_PRIVATE_KEY: keys.privateKeyPem,
    },
  };
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], ...common, ...specific[service] };
}

// Topics are created on purpose, before any service produces or consumes: the broker never
// creates them on a first use.
async function ensureTopics(brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'suite-services',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.values(TOPICS).filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: 6 })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}

// Extra environment per service, e.g. the demo's shorter hold TTL.
export type ServiceOverrides = Partial<Record<ServiceName, Record<string, string>>>;

export interface StartOptions {
  overrides?: ServiceOverrides;
  // Start from empty service databases and a new Redis key prefix (running services are
  // stopped first).
  fresh?: boolean;
}

interface StackState {
  redisKeyPrefix: string;
}

const stackFile = () => join(RUN, 'stack.json');

function stackState(): StackState {
  if (!existsSync(stackFile())) return { redisKeyPrefix: 'suite:' };
  return JSON.parse(readFileSync(stackFile(), 'utf8')) as StackState;
}

const SERVICE_DATABASES = [
  'ticketing',
  'payments',
  'auction',
  'psp_simulator',
  'scheduler',
  'crawler',
];

// One run at a time owns the services: a fresh start (the demo, the e2e tier, a benchmark)
// drops the databases and a stop ends the processes another run is measuring. The owner is
// the process that asked, or the one named by SUITE_STACK_OWNER (the e2e tier runs this file
// as a child of Jest). A claim dies with its owner.
const ownerFile = () => join(RUN, 'owner.json');
const me = () => Number(process.env['SUITE_STACK_OWNER'] ?? process.pid);

function checkOwnership(action: string): void {
  if (!existsSync(ownerFile())) return;
  const owner = JSON.parse(readFileSync(ownerFile(), 'utf8')) as { pid: number; since: string };
  if (owner.pid !== me() && alive(owner.pid)) {
    throw new Error(
      `cannot ${action}: the services belong to another run (pid ${owner.pid}, since ${owner.since}); wait for it to end`,
    );
  }
}

function claimStack(): void {
  checkOwnership('start the services afresh');
  writeFileSync(ownerFile(), JSON.stringify({ pid: me(), since: new Date().toISOString() }));
}

// Settings for runs that must see time pass quickly: holds expire in seconds, relays poll
// often, payments gives up on a silent PSP after one second, and its reconciliation job
// settles a payment left unsettled for 10 s (over three times a whole PSP call: 3 attempts
// of 1 s plus backoff), looking every 2 s. A payment failed with no word from the PSP is
// asked about again 2 s later, then at gaps of at most 5 s, for 2 min (the e2e PSP holds a
// request at most 1 min).
export const FAST_PROFILE: ServiceOverrides = {
  ticketing: { HOLD_TTL_MS: '3000', OUTBOX_IDLE_DELAY_MS: '20', CHECKOUT_WAIT_MS: '5000' },
  payments: {
    PSP_TIMEOUT_MS: '1000',
    RECONCILE_INTERVAL_MS: '2000',
    RECONCILE_AFTER_MS: '10000',
    LATE_CHARGE_CHECK_MS: '2000',
    LATE_CHARGE_CHECK_MAX_MS: '5000',
    LATE_CHARGE_HORIZON_MS: '120000',
  },
};

// Drops and recreates the services' databases (their migrations and seed data run again at
// start-up) and moves Redis to a new key prefix: tokens, holds and windows start over,
// consistently with the databases that remember them.
async function resetServiceData(adminUrl: string): Promise<void> {
  if (SERVICE_NAMES.some((s) => running(s))) {
    console.log('  stopping the running services for a fresh start');
    await stopServices();
  }
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const db of SERVICE_DATABASES) {
      await client.query(`drop database if exists ${db} with (force)`);
      await client.query(`create database ${db}`);
    }
  } finally {
    await client.end();
  }
  const state: StackState = { redisKeyPrefix: `suite-${Date.now().toString(36)}:` };
  writeFileSync(stackFile(), JSON.stringify(state));
}

export async function startServices(
  services: readonly ServiceName[] = START_ORDER,
  options: StartOptions = {},
): Promise<ServicePorts> {
  const overrides = options.overrides ?? {};
  mkdirSync(RUN, { recursive: true });
  mkdirSync(LOGS, { recursive: true });
  const infra = readEndpoints();
  if (options.fresh) {
    claimStack();
    await resetServiceData(infra['DATABASE_URL'] ?? '');
  }
  await ensureTopics(infra['KAFKA_BROKERS'] ?? '');
  const taken = new Set<number>();
  const ports = {} as ServicePorts;
  for (const service of START_ORDER) {
    const current = running(service);
    // A service that was killed comes back on its port: its peers were told that one.
    const previous = recorded(service)?.port;
    const reusable =
      previous !== undefined && !taken.has(previous) && (await portFree(previous))
        ? previous
        : undefined;
    ports[service] = current ? current.port : (reusable ?? (await choosePort(service, taken)));
    taken.add(ports[service]);
  }
  const toLaunch = START_ORDER.filter((s) => services.includes(s) && !running(s));
  if (!FROM_SOURCE) buildBundles(toLaunch);
  const selected = START_ORDER.filter((s) => services.includes(s));
  const starts = new Map<ServiceName, Promise<void>>();
  const start = (service: ServiceName): Promise<void> => {
    let started = starts.get(service);
    if (!started) {
      started = (async () => {
        const before = (STARTS_AFTER[service] ?? []).filter((s) => selected.includes(s));
        await Promise.all(before.map(start));
        if (running(service)) {
          console.log(`  ${service.padEnd(14)} already running on ${ports[service]}`);
          return;
        }
        // Without overrides of its own, a killed service gets the ones it ran with.
        const extra = overrides[service] ?? recorded(service)?.overrides ?? {};
        await launch(service, ports, infra, extra);
      })();
      starts.set(service, started);
    }
    return started;
  };
  await Promise.all(selected.map(start));
  return ports;
}

// The services a service waits for before it starts, as in docker-compose.yml: payments
// calls the PSP, ticketing drives payments' sagas, the crawler crawls the web simulator, and
// the gateway fronts them all. The others start at once, so their boots (migrations, Kafka
// group joins) overlap instead of adding up.
const STARTS_AFTER: Partial<Record<ServiceName, readonly ServiceName[]>> = {
  payments: ['psp-simulator'],
  ticketing: ['payments'],
  crawler: ['web-simulator'],
  gateway: START_ORDER.filter((s) => s !== 'gateway'),
};

// What ships is what runs: a service starts from its production bundle, dist/apps/<s>/main.js,
// built just before (Nx replays an unchanged build from its cache). SUITE_RUN_FROM=source runs
// the TypeScript sources through @swc-node/register instead, for a quicker edit-and-run loop.
const FROM_SOURCE = process.env['SUITE_RUN_FROM'] === 'source';

function buildBundles(services: readonly ServiceName[]): void {
  if (services.length === 0) return;
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...services, '--outputStyle=static'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0) {
    throw new Error(`building ${services.join(', ')} failed:\n${build.stdout}${build.stderr}`);
  }
}

function launchArguments(service: ServiceName): string[] {
  return FROM_SOURCE
    ? ['-r', '@swc-node/register', `apps/${service}/src/main.ts`]
    : ['--enable-source-maps', `dist/apps/${service}/main.js`];
}

// Spawns one service in its own process group, records it, and waits for its readiness.
async function launch(
  service: ServiceName,
  ports: ServicePorts,
  infra: Record<string, string>,
  overrides: Record<string, string>,
): Promise<Running> {
  const log = join(LOGS, `${service}.log`);
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, launchArguments(service), {
    cwd: ROOT,
    env: {
      ...environment(service, ports, infra),
      ...overrides,
      SWC_NODE_PROJECT: `apps/${service}/tsconfig.json`,
    },
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`${service} could not be spawned; read ${log}`);
  const entry: Running = { service, pid: child.pid, port: ports[service], overrides };
  writeFileSync(pidFile(service), JSON.stringify(entry));
  if (!(await ready(ports[service], 60_000))) {
    throw new Error(
      `${service} did not become ready on port ${ports[service]} within 60 s; read ${log}`,
    );
  }
  console.log(`  ${service.padEnd(14)} ready on http://127.0.0.1:${ports[service]}`);
  return entry;
}

export type KillSignal = 'SIGKILL' | 'SIGTERM';

// Ends one service's process and resolves once it is gone. SIGKILL is `kill -9`: no shutdown
// hook runs, connections drop mid-transaction, and Kafka learns of it only when the member's
// session times out. Its entry stays, so restartService (or `start`) brings it back as it was.
export async function killService(
  service: ServiceName,
  signal: KillSignal = 'SIGKILL',
): Promise<Running> {
  const current = running(service);
  if (!current) throw new Error(`${service} is not running`);
  process.kill(current.pid, signal);
  // A graceful stop gets as long as stopServices gives it; a SIGKILL ends at once.
  if (!(await waitUntilGone(current.pid, signal === 'SIGKILL' ? 5_000 : 10_000))) {
    if (signal === 'SIGKILL') throw new Error(`${service} (pid ${current.pid}) survived SIGKILL`);
    process.kill(current.pid, 'SIGKILL');
    await waitUntilGone(current.pid, 5_000);
  }
  return current;
}

// Starts a killed (or running: it is stopped gracefully first) service again on its port,
// with the environment it had, and resolves once it is ready. Its peers keep their ports.
export async function restartService(service: ServiceName): Promise<Running> {
  const previous = recorded(service);
  if (!previous) throw new Error(`${service} was never started by this stack`);
  if (running(service)) await killService(service, 'SIGTERM');
  if (!(await portFree(previous.port))) {
    throw new Error(`${service}'s port ${previous.port} is held by another process`);
  }
  const ports = Object.fromEntries(
    START_ORDER.map((s) => [s, recorded(s)?.port ?? DEFAULT_PORTS[s]]),
  ) as ServicePorts;
  return launch(service, ports, readEndpoints(), previous.overrides ?? {});
}

export async function stopServices(): Promise<void> {
  checkOwnership('stop the services');
  for (const service of [...START_ORDER].reverse()) {
    if (running(service)) {
      await killService(service, 'SIGTERM');
      console.log(`  ${service.padEnd(14)} stopped`);
    }
    rmSync(pidFile(service), { force: true });
  }
}

export function statusLines(): string[] {
  return SERVICE_NAMES.map((s) => {
    const r = running(s);
    return `  ${s.padEnd(14)} ${r ? `running  pid ${r.pid}  http://127.0.0.1:${r.port}` : 'stopped'}`;
  });
}

// SUITE_SERVICE_OVERRIDES: extra environment per service for a start from the command line,
// as JSON ({"gateway": {"RATE_LIMIT_POLICY_FILE": "..."}}), e.g. the fuzz stage's limits.
function overridesFromEnv(): ServiceOverrides {
  const raw = process.env['SUITE_SERVICE_OVERRIDES'];
  if (!raw) return {};
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  for (const [service, env] of Object.entries(parsed)) {
    const valid =
      SERVICE_NAMES.includes(service as ServiceName) &&
      typeof env === 'object' &&
      env !== null &&
      Object.values(env).every((v) => typeof v === 'string');
    if (!valid) {
      throw new Error(`SUITE_SERVICE_OVERRIDES: "${service}" is not a service with string values`);
    }
  }
  return parsed as ServiceOverrides;
}

const merged = (a: ServiceOverrides, b: ServiceOverrides): ServiceOverrides => {
  const out: ServiceOverrides = { ...a };
  for (const [service, env] of Object.entries(b) as [ServiceName, Record<string, string>][]) {
    out[service] = { ...(a[service] ?? {}), ...env };
  }
  return out;
};

async function main(): Promise<void> {
  const [command = 'status', ...names] = process.argv.slice(2);
  const fromEnv = overridesFromEnv();
  const selected = names.length ? (names as ServiceName[]) : START_ORDER;
  for (const name of selected) {
    if (!SERVICE_NAMES.includes(name))
      throw new Error(`unknown service "${name}" (one of ${SERVICE_NAMES.join(', ')})`);
  }
  if (command === 'start') await startServices(selected, { overrides: fromEnv });
  else if (command === 'start-fresh') {
    await startServices(selected, { fresh: true, overrides: fromEnv });
  } else if (command === 'start-fresh-fast') {
    await startServices(selected, { fresh: true, overrides: merged(FAST_PROFILE, fromEnv) });
  } else if (command === 'stop') await stopServices();
  else if (command === 'status') console.log(statusLines().join('\n'));
  else if (command === 'kill' && names.length > 0) {
    for (const name of selected) {
      const gone = await killService(name);
      console.log(`  ${name.padEnd(14)} killed (SIGKILL, pid ${gone.pid})`);
    }
  } else if (command === 'restart' && names.length > 0) {
    for (const name of selected) await restartService(name);
  } else
    throw new Error(
      'usage: services.ts start|start-fresh|start-fresh-fast [service...] | stop | status | kill <service...> | restart <service...>',
    );
}

if (require.main === module) {
  // Run as a script: `npm run services:start|stop|status`.
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
