// What every end-to-end test needs: the gateway's URL, tokens, the PSP's fault switch, and
// the service databases for the invariant verifiers. Only the global setup starts services.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ENDPOINTS_FILE, findWorkspaceRoot, parseEndpointsFile, stackTokens } from '@suite/testing';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the e2e tier (npx nx e2e suite-e2e), which starts the services`,
    );
  return value;
}

export const gatewayUrl = () => required('GATEWAY_URL');
export const pspUrl = () => required('PSP_SIMULATOR_URL');
export const rateLimiterUrl = () => required('RATE_LIMITER_URL');
// Loopback fixtures the gateway does not publish: the scheduler's delivery sink (on the
// scheduler's own port) and the generated web the crawler crawls, with its verdict.
export const schedulerUrl = () => required('SCHEDULER_URL');
export const webSimulatorUrl = () => required('WEB_SIMULATOR_URL');

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as T,
    headers: response.headers,
  };
}

// A token from the gateway's development endpoint; a shopper's carries no scope.
export async function tokenFor(userId: string, scopes: readonly string[] = []): Promise<string> {
  const reply = await call<{ accessToken: string }>('POST', '/dev/tokens', {
    body: { userId, scopes },
  });
  if (reply.status !== 200) throw new Error(`dev token: HTTP ${reply.status}`);
  return reply.body.accessToken;
}

export const newKey = () => `e2e-${randomUUID()}`;

// The operator's credential for the services' admin routes, which the gateway does not
// publish: signed with the stack's own key, as the gateway's development tokens are.
export const operatorHeaders = () => stackTokens().operator('e2e-operator');

// The PSP simulator's faults, set for one test and cleared after it.
export async function pspFaults(faults: Record<string, number | boolean>): Promise<void> {
  const reset = Object.keys(faults).length === 0;
  const operator = await operatorHeaders();
  const response = await fetch(`${pspUrl()}/admin/faults`, {
    method: reset ? 'DELETE' : 'PUT',
    ...(reset
      ? { headers: operator }
      : {
          headers: { 'content-type': 'application/json', ...operator },
          body: JSON.stringify(faults),
        }),
  });
  if (!response.ok) throw new Error(`psp faults: HTTP ${response.status} ${await response.text()}`);
}

function infraEndpoints(): Record<string, string | undefined> {
  const root = findWorkspaceRoot(__dirname);
  return parseEndpointsFile(readFileSync(join(root, ENDPOINTS_FILE), 'utf8'));
}

export function kafkaBrokers(): string[] {
  const brokers = infraEndpoints()['KAFKA_BROKERS'];
  if (!brokers) throw new Error(`no KAFKA_BROKERS in ${ENDPOINTS_FILE}`);
  return brokers.split(',');
}

export function serviceDatabase(
  name: 'ticketing' | 'payments' | 'psp_simulator' | 'auction' | 'scheduler',
): Pool {
  const url = infraEndpoints()[`${name.toUpperCase()}_DATABASE_URL`];
  if (!url) throw new Error(`no ${name} database in ${ENDPOINTS_FILE}`);
  return new Pool({ connectionString: url, max: 2 });
}

// Polls gently: the gateway's per-user rate limits apply to tests too.
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
