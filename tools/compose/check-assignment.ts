// The compose stage's check of the assignment services, through the compose stack's gateway:
// 1. the scheduler: a one-off job due in 2 s, with the scheduler's own sink as its callback,
//    fires once, not early, and the scheduler verifier (libs/invariants) counts 0 on its
//    database;
// 2. the crawler: a small generated web (the web simulator, reset for this run) crawled from
//    its seed until the crawl finishes, and the simulator's verdict is clean: every reachable
//    page fetched exactly once, nothing else fetched, no host's interval broken.
// Each part is bounded in time. Prints one line per finding; exits 0 only when both pass.
//
// Usage (the stack up: bash docker/compose.sh up):
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/compose/check-assignment.ts [--direct]
// --direct: the scheduler's and the crawler's own published ports instead of the gateway (on
// the cluster profile, their balancer's), to tell a gateway problem from a service's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCOPES } from '@suite/contracts';
import { verifySchedulerInvariants } from '@suite/invariants';
import { findWorkspaceRoot, parseEndpointsFile, TestTokens } from '@suite/testing';
import { Client } from 'pg';

const ROOT = findWorkspaceRoot(__dirname);
const FIRE_WITHIN_MS = 20_000;
const CRAWL_WITHIN_MS = 45_000;
// Small enough to finish in seconds at the politeness interval, large enough that both
// workers of the cluster profile get hosts: 6 hosts of 8 pages, 50 ms between requests to one host.
const WEB = { seed: 15, hosts: 6, pagesPerHost: 8, minIntervalMs: 50, slowMs: 40 };

const env = parseEndpointsFile(readFileSync(join(ROOT, '.env'), 'utf8'));
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const pem = (value: string | undefined) =>
  (value ?? '').replace(/^"|"$/g, '').replace(/\\n/g, '\n');
const direct = process.argv.includes('--direct');
const gateway = `http://127.0.0.1:${port('GATEWAY_HOST_PORT', 13000)}`;
const schedulerApi = direct ? `http://127.0.0.1:${port('SCHEDULER_HOST_PORT', 13006)}` : gateway;
const crawlerApi = direct ? `http://127.0.0.1:${port('CRAWLER_HOST_PORT', 13008)}` : gateway;
const webSimulator = `http://127.0.0.1:${port('WEB_SIMULATOR_HOST_PORT', 13007)}`;
const schedulerDatabase = `postgres://postgres:${env['POSTGRES_PASSWORD'] ?? ''}@127.0.0.1:${port('POSTGRES_HOST_PORT', 15432)}/scheduler`;
const tokens = new TestTokens({
  publicKeyPem: pem(env['JWT_PUBLIC_KEY']),
  privateKeyPem: pem(env['DEV_TOKEN_PRIVATE_KEY']),
});

async function call<T>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface Fire {
  scheduledAt: string;
  status: 'pending' | 'delivered';
  deliveredAt: string | null;
}

async function checkScheduler(headers: Record<string, string>): Promise<string[]> {
  const started = Date.now();
  const runAt = new Date(Math.ceil((Date.now() + 2_000) / 1_000) * 1_000);
  const job = await call<{ id: string }>('POST', `${schedulerApi}/jobs`, headers, {
    runAt: runAt.toISOString(),
    // The scheduler's own sink, by its name on the compose network: the one callback origin
    // the stack allows.
    callbackUrl: 'http://scheduler:3006/sink/deliveries',
    payload: { check: 'compose-stage' },
  });
  let delivered: Fire | undefined;
  while (!delivered && Date.now() - started < FIRE_WITHIN_MS) {
    await sleep(250);
    const { data } = await call<{ data: Fire[] }>(
      'GET',
      `${schedulerApi}/jobs/${job.id}/fires`,
      headers,
    );
    delivered = data.find((f) => f.status === 'delivered');
  }
  if (!delivered) return [`scheduler: job ${job.id} not delivered within ${FIRE_WITHIN_MS} ms`];
  const lagMs = Date.parse(delivered.deliveredAt ?? '') - runAt.getTime();
  const db = new Client({ connectionString: schedulerDatabase });
  await db.connect();
  try {
    const report = await verifySchedulerInvariants(db, {
      until: runAt.getTime(),
      jobIds: [job.id],
    });
    console.log(
      `[compose] scheduler: job ${job.id} fired at the sink ${lagMs} ms after its time; ` +
        `verifier ${JSON.stringify(report.violations)}, applied ${report.appliedFires} of ${report.expectedFires}`,
    );
    const problems: string[] = [];
    if (report.total !== 0) problems.push(`scheduler: the verifier counted ${report.total}`);
    if (report.appliedFires !== 1) problems.push(`scheduler: ${report.appliedFires} fires applied`);
    return problems;
  } finally {
    await db.end();
  }
}

interface Crawl {
  id: string;
  status: 'running' | 'finished';
  done: number;
}

interface Verdict {
  reachable: number;
  fetchedPages: number;
  missed: number;
  duplicates: number;
  unexpected: number;
  rateViolations: number;
}

async function checkCrawler(headers: Record<string, string>): Promise<string[]> {
  const started = Date.now();
  // A new run of the web: its counts start from zero.
  await call('PUT', `${webSimulator}/web`, {}, WEB);
  let crawl = await call<Crawl>('POST', `${crawlerApi}/crawls`, headers, {
    seeds: ['http://site-0.web.test/'],
    minIntervalMs: WEB.minIntervalMs,
  });
  while (crawl.status !== 'finished' && Date.now() - started < CRAWL_WITHIN_MS) {
    await sleep(250);
    crawl = await call<Crawl>('GET', `${crawlerApi}/crawls/${crawl.id}`, headers);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (crawl.status !== 'finished')
    return [`crawler: crawl ${crawl.id} not finished within ${CRAWL_WITHIN_MS} ms`];
  const verdict = await call<Verdict>(
    'GET',
    `${webSimulator}/web/verdict?seed=${encodeURIComponent('http://site-0.web.test/')}`,
    {},
  );
  console.log(
    `[compose] crawler: crawl ${crawl.id} finished in ${seconds} s; verdict ${JSON.stringify(verdict)}`,
  );
  const problems: string[] = [];
  for (const count of ['missed', 'duplicates', 'unexpected', 'rateViolations'] as const) {
    if (verdict[count] !== 0) problems.push(`crawler: ${count} ${verdict[count]}`);
  }
  if (verdict.reachable === 0) problems.push('crawler: the web had no reachable page');
  return problems;
}

async function main(): Promise<number> {
  const headers = await tokens.bearer('compose-stage', [SCOPES.opsAdmin]);
  // Both at once: they share no state, and the stage's time is the longer of the two.
  const results = await Promise.allSettled([checkScheduler(headers), checkCrawler(headers)]);
  const problems = results.flatMap((r) =>
    r.status === 'fulfilled'
      ? r.value
      : [r.reason instanceof Error ? r.reason.message : String(r.reason)],
  );
  for (const problem of problems) console.error(`[compose] ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
