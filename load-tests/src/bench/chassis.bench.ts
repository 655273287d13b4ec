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
// --profile <service> starts that service under `node --cpu-prof`; the profile is written
// to .local/profiles/ when the service stops.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
const PROFILE = arg('profile') as ServiceName | undefined;
// info, as the services ship: probes' access lines are at debug and not written. debug: every
// request writes its line, as any other route's request does at info.
const LOG_LEVEL = arg('log-level') ?? 'info';
for (const s of [...SERVICES, ...(PROFILE ? [PROFILE] : [])]) {
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
  return { ...common, ...own };
}

async function startService(service: ServiceName, database: string): Promise<LoggedService> {
  const [port, metricsPort] = await freePorts(2);
  return startLoggedService(service, environment(service, database, metricsPort as number), {
    port: port as number,
    logName: `chassis-bench-${service}`,
    profile: PROFILE === service,
  });
}

async function measure(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/health`,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}/health: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return rate(result);
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const admin = new Client({ connectionString: need('DATABASE_URL') });
  await admin.connect();
  const scratch = new Map<ServiceName, string>();
  const targets: Target[] = [];
  try {
    for (const service of SERVICES.filter((s) => WITH_DATABASE.includes(s))) {
      const name = uniqueName(`chassis ${service}`);
      await admin.query(`create database ${name}`);
      scratch.set(service, name);
    }
    const bare = forkTs(join(__dirname, 'bare-fastify.server.ts'), [
      JSON.stringify({ status: 'ok', service: 'bare-fastify' }),
    ]);
    const { port } = await nextMessage<{ port: number }>(bare);
    targets.push({
      name: 'bare Fastify',
      url: `http://127.0.0.1:${port}`,
      stop: () => killAndWait(bare, 'SIGTERM'),
    });
    for (const service of SERVICES) {
      const database = scratch.get(service);
      const url = need('DATABASE_URL').replace(/\/[^/]*$/, `/${database ?? 'postgres'}`);
      targets.push(await startService(service, url));
      console.log(`${service} ready`);
    }
    // Warm-up: JIT, connections and lazily built caches on every side.
    for (const target of targets) await measure(target.url, 2);
    const rates = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so that no target always runs first or last.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const target of order) {
        const perSecond = await measure(target.url, SECONDS);
        rates.get(target.name)?.push(perSecond);
        console.log(`round ${round + 1}: ${target.name} ${perSecond.toFixed(0)} req/s`);
      }
    }
    const bareRates = rates.get('bare Fastify') as number[];
    const rows = targets.map((t) => {
      const own = rates.get(t.name) as number[];
      const ratios = own.map((r, i) => r / (bareRates[i] as number));
      return {
        name: t.name,
        line: `| ${t.name} | ${own.map((r) => r.toFixed(0)).join(' / ')} | ${median(own).toFixed(0)} | ${median(ratios).toFixed(2)}x |`,
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
      '| target | req/s per round | median req/s | median ratio to bare Fastify (same round) |',
      '| ------ | --------------- | ------------ | ----------------------------------------- |',
      ...rows.map((r) => r.line),
      '',
      `Reproduce: \`npm run bench:chassis -- --seconds ${SECONDS} --connections ${CONNECTIONS} --rounds ${ROUNDS} --log-level ${LOG_LEVEL}\``,
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
