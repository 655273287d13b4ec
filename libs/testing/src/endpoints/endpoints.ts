import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type EndpointSource = 'environment' | 'endpoints-file' | 'testcontainers';

export interface InfraEndpoints {
  source: EndpointSource;
  /** Admin connection; tests create their own databases from it. */
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** Only the native stack runs toxiproxy; fault tests need it. */
  toxiproxyUrl?: string;
}

export const START_STACK_COMMAND = 'npm run infra:up';
export const ENDPOINTS_FILE = '.local/endpoints.env';

export class EndpointsUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `No infrastructure for integration tests: ${detail}\n` +
        `Start the local stack with \`${START_STACK_COMMAND}\` (or set DATABASE_URL, REDIS_URL ` +
        `and KAFKA_BROKERS, or run a Docker engine for testcontainers).`,
    );
    this.name = 'EndpointsUnavailableError';
  }
}

type Env = Record<string, string | undefined>;

/** KEY=VALUE lines; blank lines and # comments ignored. */
export function parseEndpointsFile(text: string): Env {
  const env: Env = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed line in endpoints file: "${line}"`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return env;
}

/** The nearest folder above `from` that holds nx.json. */
export function findWorkspaceRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
}

function fromEnv(env: Env, source: EndpointSource): InfraEndpoints | undefined {
  const { DATABASE_URL, REDIS_URL, KAFKA_BROKERS, TOXIPROXY_URL } = env;
  if (!DATABASE_URL || !REDIS_URL || !KAFKA_BROKERS) return undefined;
  return {
    source,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    kafkaBrokers: KAFKA_BROKERS.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    ...(TOXIPROXY_URL ? { toxiproxyUrl: TOXIPROXY_URL } : {}),
  };
}

export interface ResolveDeps {
  env: Env;
  workspaceRoot: string;
  readFile?: (path: string) => string | undefined;
  /** True when a Docker engine answers. */
  dockerAvailable: () => Promise<boolean>;
  startContainers: () => Promise<InfraEndpoints>;
}

const readIfExists = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * Resolution order, never silently skipping:
 *   1. the environment, then the endpoints file written by `infra up`;
 *   2. testcontainers, if a Docker engine answers;
 *   3. otherwise a loud failure naming the command that starts the stack.
 * SUITE_INFRA=testcontainers goes straight to 2, and fails if no engine answers.
 */
export async function resolveEndpoints(deps: ResolveDeps): Promise<InfraEndpoints> {
  if (deps.env['SUITE_INFRA'] === 'testcontainers') {
    if (await deps.dockerAvailable()) return deps.startContainers();
    throw new EndpointsUnavailableError(
      'SUITE_INFRA=testcontainers, but no Docker engine answered (start one with `bash infra/docker/engine.sh start`).',
    );
  }
  const fromEnvironment = fromEnv(deps.env, 'environment');
  if (fromEnvironment) return fromEnvironment;

  const file = join(deps.workspaceRoot, ENDPOINTS_FILE);
  const text = (deps.readFile ?? readIfExists)(file);
  if (text !== undefined) {
    const fromFile = fromEnv(parseEndpointsFile(text), 'endpoints-file');
    if (!fromFile) {
      throw new EndpointsUnavailableError(
        `${file} lacks DATABASE_URL, REDIS_URL or KAFKA_BROKERS.`,
      );
    }
    return fromFile;
  }

  if (await deps.dockerAvailable()) return deps.startContainers();

  throw new EndpointsUnavailableError(
    `the environment has no endpoints, ${file} does not exist and no Docker engine answered.`,
  );
}

/** Inside a test worker: the endpoints that the global setup exported. */
export function integrationEndpoints(env: Env = process.env): InfraEndpoints {
  const endpoints = fromEnv(env, 'environment');
  if (!endpoints) {
    throw new EndpointsUnavailableError(
      'the global setup exported no endpoints (run integration tests with `nx run-many -t integration`).',
    );
  }
  return endpoints;
}

export function requireToxiproxy(endpoints: InfraEndpoints): string {
  if (!endpoints.toxiproxyUrl) {
    throw new EndpointsUnavailableError(
      'fault tests need TOXIPROXY_URL, which only the native stack provides.',
    );
  }
  return endpoints.toxiproxyUrl;
}
