// Where the demo runs: the native stack (services as local processes on the project's own
// Postgres, Redis and Kafka) or the compose stack (docker-compose.yml on the project's engine).
// Either way the demo gets the same things: URLs, the databases and brokers its verifiers
// read, and tokens that the services trust.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCOPES, isServiceName, type ServiceName } from '@suite/contracts';
import {
  ENDPOINTS_FILE,
  TestTokens,
  findWorkspaceRoot,
  parseEndpointsFile,
  restartService,
  stackTokens,
  startServices,
} from '@suite/testing';
import { startReplica, type Replica } from '../lib/stack-replica';

export type TargetName = 'native' | 'compose' | 'cluster';

export interface DemoTarget {
  name: TargetName;
  gatewayUrl: string;
  pspUrl: string;
  databases: { ticketing: string; payments: string; psp: string; auction: string };
  kafkaBrokers: string[];
  // Buyers' tokens when the gateway does not mint development tokens (the compose stack),
  // and the operator's, signed with the key the services verify against.
  userToken?: (userId: string) => Promise<string>;
  operatorHeaders(): Promise<Record<string, string>>;
  // Stops one service gracefully (SIGTERM, as `docker stop` does) and starts it again,
  // resolving once it is ready: in-flight work must survive it.
  restart(service: ServiceName): Promise<void>;
  // Where a user can look around after the run.
  explore: string[];
  // The scheduler and the crawler with a second instance each (the native stack only; the
  // compose stack has neither yet): the demo's assignment sections.
  assignment?: AssignmentTarget;
}

// The jobs and crawls API is the gateway's, like every other scenario's.
export interface AssignmentTarget {
  // The scheduler's loopback sink, the jobs' callback target.
  sinkUrl: string;
  // The generated web the crawler crawls (a test fixture on loopback, not behind the gateway).
  webSimulatorUrl: string;
  schedulerDatabase: string;
  // Starts one more instance of the service, configured as the running one.
  startReplica(service: 'scheduler' | 'crawler', index: number): Promise<Replica>;
}

const ROOT = findWorkspaceRoot(__dirname);

export interface DemoArgs {
  target: TargetName;
  // Services to restart gracefully in the middle of the flash sale.
  restart: ServiceName[];
  rest: string[];
}

// [--target native|compose|cluster] [--restart svc[,svc]] [positional...]
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args: DemoArgs = { target: 'native', restart: [], rest: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') ? arg.split('=', 2) : [arg, undefined];
    if (flag !== '--target' && flag !== '--restart') {
      args.rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i] ?? '';
    if (flag === '--target') {
      if (value !== 'native' && value !== 'compose' && value !== 'cluster') {
        throw new Error(`--target must be native, compose or cluster, not "${value}"`);
      }
      args.target = value;
    } else {
      for (const service of value.split(',').filter(Boolean)) {
        if (!isServiceName(service)) throw new Error(`--restart: no service named "${service}"`);
        args.restart.push(service);
      }
    }
  }
  return args;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

const operatorOf = (tokens: TestTokens) => async () =>
  tokens.bearer('demo-operator', [SCOPES.opsAdmin]);

// Every service on empty databases, with the demo's overrides, as local processes.
export async function nativeTarget(
  overrides: Partial<Record<ServiceName, Record<string, string>>>,
): Promise<DemoTarget> {
  const infra = parseEndpointsFile(readFileSync(join(ROOT, ENDPOINTS_FILE), 'utf8'));
  const ports = await startServices(undefined, { fresh: true, overrides });
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  return {
    name: 'native',
    gatewayUrl,
    pspUrl: `http://127.0.0.1:${ports['psp-simulator']}`,
    databases: {
      ticketing: infra['TICKETING_DATABASE_URL'] ?? '',
      payments: infra['PAYMENTS_DATABASE_URL'] ?? '',
      psp: infra['PSP_SIMULATOR_DATABASE_URL'] ?? '',
      auction: infra['AUCTION_DATABASE_URL'] ?? '',
    },
    kafkaBrokers: (infra['KAFKA_BROKERS'] ?? '').split(','),
    operatorHeaders: operatorOf(stackTokens()),
    restart: async (service) => {
      await restartService(service);
    },
    assignment: {
      sinkUrl: `http://127.0.0.1:${ports.scheduler}/sink/deliveries`,
      webSimulatorUrl: `http://127.0.0.1:${ports['web-simulator']}`,
      schedulerDatabase: infra['SCHEDULER_DATABASE_URL'] ?? '',
      startReplica: (service, index) => startReplica(service, index),
    },
    explore: [
      `Swagger UI   ${gatewayUrl}/docs`,
      `gateway      ${gatewayUrl}   (POST /dev/tokens {"userId":"you"} for a token)`,
      ...Object.entries(ports).map(([s, port]) => `${s.padEnd(12)} http://127.0.0.1:${port}`),
      'Stop the services with `npm run demo:stop`, the infrastructure with `npm run infra:down`.',
    ],
  };
}

// The compose stack that `bash docker/compose.sh up` started (tools/demo.sh starts it fresh):
// its published ports and the secrets in .env. The cluster profile publishes the same ports
// (through its load balancer), so one target serves both; a restart stops replica 1.
export function composeTarget(name: 'compose' | 'cluster' = 'compose'): DemoTarget {
  const env = parseEndpointsFile(readFileSync(join(ROOT, '.env'), 'utf8'));
  const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const pem = (value: string | undefined) =>
    (value ?? '').replace(/^"|"$/g, '').replace(/\\n/g, '\n');
  const password = env['POSTGRES_PASSWORD'] ?? '';
  const database = (db: string) =>
    `postgres://postgres:${password}@127.0.0.1:${port('POSTGRES_HOST_PORT', 15432)}/${db}`;
  const gatewayUrl = `http://127.0.0.1:${port('GATEWAY_HOST_PORT', 13000)}`;
  const tokens = new TestTokens({
    publicKeyPem: pem(env['JWT_PUBLIC_KEY']),
    privateKeyPem: pem(env['DEV_TOKEN_PRIVATE_KEY']),
  });
  return {
    name,
    gatewayUrl,
    pspUrl: `http://127.0.0.1:${port('PSP_HOST_PORT', 13003)}`,
    databases: {
      ticketing: database('ticketing'),
      payments: database('payments'),
      psp: database('psp_simulator'),
      auction: database('auction'),
    },
    kafkaBrokers: [`127.0.0.1:${port('KAFKA_HOST_PORT', 19094)}`],
    userToken: (userId) => tokens.token(userId),
    operatorHeaders: operatorOf(tokens),
    restart: (service) => run('bash', ['docker/compose.sh', 'restart', service]),
    explore: [
      `Swagger UI   ${gatewayUrl}/docs`,
      `gateway      ${gatewayUrl}   (tokens: sign with DEV_TOKEN_PRIVATE_KEY from .env)`,
      ...(name === 'cluster'
        ? [
            `HAProxy      http://127.0.0.1:${port('LB_STATS_HOST_PORT', 18404)}   (replicas in rotation)`,
          ]
        : []),
      'Containers: `bash docker/compose.sh ps`; stop with `bash docker/compose.sh down`.',
    ],
  };
}
