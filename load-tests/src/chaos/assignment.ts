// `npm run chaos:assignment -- [--runs scheduler-kill,crawler-redis-latency] [--jobs N]
// [--latency-ms MS]`: the assignment services' chaos runs, on real service processes (the
// apps' own main.ts, as they ship) whose Redis and Postgres connections go through toxiproxy
// (the native chaos links, links.ts), each on its own scratch database and Redis prefix, each
// bounded to about 2 minutes, each judged by its verifier afterwards:
// 1. scheduler-kill: two firing instances share 64 partitions; a burst of N one-off jobs falls
//    due in one second, and one instance is killed (SIGKILL) 300 ms into it. Its partitions
//    are claimed again by the survivor after their lease; its fires run late but run.
//    Verifier (libs/invariants): fires missed, applied twice, early, unscheduled, stale-owner
//    writes, all 0. A third scheduler process, not firing, is the sink the callbacks reach.
// 2. crawler-redis-latency: two crawler workers crawl the web simulator's generated web while
//    toxiproxy adds latency to every Redis reply (membership, claims and the per-host
//    politeness limiter all live there) for a window in the middle of the crawl. Verifier: the
//    web simulator's verdict: every reachable page fetched once, nothing else, no host's
//    interval broken, and the crawl finished.
// Writes load-tests/results/chaos-assignment-<date>.md. Holds the stack lock (tools/chaos.sh
// style): it uses the shared toxiproxy's chaos-redis and chaos-postgres proxies.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { partitionOf } from '@suite/coordination';
import { verifySchedulerInvariants } from '@suite/invariants';
import {
  createTestDatabase,
  createTestRedis,
  ENDPOINTS_FILE,
  forkTs,
  freePort,
  killAndWait,
  parseEndpointsFile,
  TestTokens,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { runContext, workspaceRoot, writeResults } from '../lib/results';
import { percentile } from '../lib/stats';
import { LinkProxies } from './links';
import type { CrawlVerdict } from '@suite/contracts';

const RUNS = ['scheduler-kill', 'crawler-redis-latency'] as const;
type RunName = (typeof RUNS)[number];

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const runs = (arg('runs') ?? RUNS.join(',')).split(',') as RunName[];
const JOBS = Number(arg('jobs') ?? 3_000);
const LATENCY_MS = Number(arg('latency-ms') ?? 150);
const PARTITIONS = 64;
const LEASE_MS = 3_000;
const KILL_AFTER_DUE_MS = 300;
const DRAIN_WITHIN_MS = 60_000;
const CRAWL_WITHIN_MS = 90_000;
const LATENCY_AT_S = 3;
const LATENCY_FOR_S = 8;
// Large enough that the crawl outlasts the latency window: its pace before, during and after.
const WEB = { seed: 7, hosts: 24, pagesPerHost: 40, minIntervalMs: 50, slowMs: 60 };

const infra = Object.fromEntries(
  Object.entries(
    parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8')),
  ).filter((e): e is [string, string] => e[1] !== undefined),
);
// The scratch databases and Redis prefixes come from the test harness, which reads these.
for (const name of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS'])
  process.env[name] ??= infra[name];
const tokens = new TestTokens();

interface Proc {
  name: string;
  url: string;
  child: ChildProcess;
}

// One service from its source in a child process, ready once /health/ready answers 200.
async function startApp(app: string, name: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const child = forkTs(join(workspaceRoot, `apps/${app}/src/main.ts`), [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_PUBLIC_KEY: tokens.publicKeyPem,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} at start`);
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { name, url, child };
    if (Date.now() > deadline) {
      await killAndWait(child);
      throw new Error(`${name} was not ready within 60 s`);
    }
    await sleep(200);
  }
}

async function stopAll(procs: readonly Proc[]): Promise<void> {
  await Promise.all(procs.map((p) => killAndWait(p.child, 'SIGKILL')));
}

interface SchedulerKillResult {
  jobs: number;
  killedMember: string;
  killedAtMs: number;
  // Fires the killed instance had claimed and not marked delivered: the survivor's to redo.
  orphaned: number;
  // Of its claims, those another instance delivered after taking its partitions over.
  takenOver: number;
  drainMs: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  verifier: Awaited<ReturnType<typeof verifySchedulerInvariants>>;
}

async function insertBurst(db: TestDatabase, count: number, at: number, sink: string) {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.pool.query(
    `insert into jobs (id, partition, schedule_kind, run_at, target_kind, target, payload,
                       next_fire_at, first_fire_at)
     select id, p, 'once', to_timestamp($3::float8 / 1000), 'http', $4, '{}'::jsonb,
            to_timestamp($3::float8 / 1000), to_timestamp($3::float8 / 1000)
       from unnest($1::uuid[], $2::int[]) as t(id, p)`,
    [ids, ids.map((id) => partitionOf(id, PARTITIONS)), at, sink],
  );
  return ids;
}

async function schedulerKill(proxies: LinkProxies): Promise<SchedulerKillResult> {
  const db: TestDatabase = await createTestDatabase('chaos_sched_kill', 4);
  const redis: TestRedis = createTestRedis('chaos-sched-kill');
  const procs: Proc[] = [];
  try {
    const env = {
      DATABASE_URL: proxies.through('postgres', db.url),
      DATABASE_POOL_SIZE: '6',
      REDIS_URL: proxies.through('redis', infra['REDIS_URL'] ?? ''),
      REDIS_KEY_PREFIX: redis.prefix,
      KAFKA_BROKERS: infra['KAFKA_BROKERS'] ?? '',
      SCHEDULER_PARTITIONS: String(PARTITIONS),
      LEASE_TTL_MS: String(LEASE_MS),
      POLL_MS: '20',
    };
    // The sink first (it applies the migrations and never fires): the callbacks' target, and
    // it survives the kill.
    const sink = await startApp('scheduler', 'sink', { ...env, FIRING: 'off' });
    procs.push(sink);
    const callbacks = { CALLBACK_ORIGINS: sink.url, SINK: 'off' };
    const a = await startApp('scheduler', 'instance-1', { ...env, ...callbacks });
    procs.push(a);
    const b = await startApp('scheduler', 'instance-2', { ...env, ...callbacks });
    procs.push(b);
    // Both joined and claimed their share before the burst falls due.
    await sleep(LEASE_MS);
    const due = Math.ceil((Date.now() + 2_000) / 1_000) * 1_000;
    const ids = await insertBurst(db, JOBS, due, `${sink.url}/sink/deliveries`);
    console.log(`  ${JOBS} jobs due at +${due - Date.now()} ms; instance-2 is killed 300 ms later`);
    await sleep(due + KILL_AFTER_DUE_MS - Date.now());
    const killedPid = b.child.pid ?? 0;
    await killAndWait(b.child, 'SIGKILL');
    const killedAtMs = Date.now() - due;
    const killed = `scheduler-%-${killedPid}-%`;
    // What it had claimed and not recorded as delivered when it died: another owner's to redo.
    const { rows: orphans } = await db.pool.query<{ key: string; member: string }>(
      `select idempotency_key as key, claimed_by as member from fires
        where claimed_by like $1 and status = 'pending'`,
      [killed],
    );
    const killedMember = orphans[0]?.member ?? `scheduler-…-${killedPid}`;
    const deadline = Date.now() + DRAIN_WITHIN_MS;
    let applied = 0;
    while (applied < JOBS && Date.now() < deadline) {
      await sleep(200);
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(distinct job_id)::int as n from sink_deliveries`,
      );
      applied = rows[0]?.n ?? 0;
    }
    // Late deliveries of a fire the survivor redid would show as applied twice: wait a little.
    await sleep(1_000);
    const { rows: lagRows } = await db.pool.query<{ lag: number }>(
      `select (extract(epoch from first_at - scheduled_at) * 1000)::float8 as lag
         from sink_deliveries order by 1`,
    );
    const lags = lagRows.map((r) => Number(r.lag));
    const { rows: taken } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from fires
        where idempotency_key = any($1::text[]) and status = 'delivered'
          and delivered_by not like $2`,
      [orphans.map((o) => o.key), killed],
    );
    const verifier = await verifySchedulerInvariants(db.pool, { until: due, jobIds: ids });
    return {
      jobs: JOBS,
      killedMember,
      killedAtMs,
      orphaned: orphans.length,
      takenOver: taken[0]?.n ?? 0,
      drainMs: lags.length > 0 ? (lags[lags.length - 1] ?? 0) : NaN,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagMax: lags[lags.length - 1] ?? NaN,
      verifier,
    };
  } finally {
    await stopAll(procs);
    await redis.cleanup();
    await db.drop();
  }
}

interface CrawlerLatencyResult {
  finished: boolean;
  seconds: number;
  latencyWindow: { atS: number; healedAtS: number };
  pagesPerSecond: number;
  pace: { before: number; during: number; after: number };
  boundPerSecond: number;
  verdict: CrawlVerdict;
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function crawlerRedisLatency(proxies: LinkProxies): Promise<CrawlerLatencyResult> {
  const db = await createTestDatabase('chaos_crawl_latency', 2);
  const redis = createTestRedis('chaos-crawl-latency');
  const procs: Proc[] = [];
  const fault = { kind: 'latency', link: 'redis', ms: LATENCY_MS } as const;
  try {
    const simulator = await startApp('web-simulator', 'web-simulator', { LOG_LEVEL: 'fatal' });
    procs.push(simulator);
    await json(`${simulator.url}/web`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WEB),
    });
    const env = {
      DATABASE_URL: proxies.through('postgres', db.url),
      DATABASE_POOL_SIZE: '6',
      REDIS_URL: proxies.through('redis', infra['REDIS_URL'] ?? ''),
      REDIS_KEY_PREFIX: redis.prefix,
      WEB_SIMULATOR_PORT: new URL(simulator.url).port,
    };
    for (const name of ['worker-1', 'worker-2']) {
      procs.push(await startApp('crawler', name, { ...env, CRAWLER_MEMBER_ID: name }));
    }
    await sleep(2_500);
    const operator = await tokens.bearer('chaos-operator', ['ops:admin']);
    const api = procs[1]?.url ?? '';
    const started = Date.now();
    let crawl = await json<{ id: string; status: string; done: number }>(`${api}/crawls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operator },
      body: JSON.stringify({
        seeds: ['http://site-0.web.test/'],
        minIntervalMs: WEB.minIntervalMs,
      }),
    });
    const seconds = () => +((Date.now() - started) / 1000).toFixed(1);
    await sleep(LATENCY_AT_S * 1_000);
    const poll = async () => {
      crawl = await json(`${api}/crawls/${crawl.id}`, { headers: operator });
    };
    await poll();
    const atS = seconds();
    const doneAtFault = crawl.done;
    await proxies.inject(fault);
    console.log(`  +${LATENCY_MS} ms on every Redis reply from ${atS} s`);
    let healedAtS = NaN;
    try {
      const healAt = Date.now() + LATENCY_FOR_S * 1_000;
      while (crawl.status !== 'finished' && Date.now() < healAt) {
        await sleep(250);
        await poll();
      }
    } finally {
      await proxies.heal(fault);
      healedAtS = seconds();
    }
    const doneAtHeal = crawl.done;
    console.log(`  healed at ${healedAtS} s`);
    while (crawl.status !== 'finished' && Date.now() - started < CRAWL_WITHIN_MS) {
      await sleep(250);
      await poll();
    }
    const took = seconds();
    const pace = (pages: number, s: number) => (s > 0 ? pages / s : NaN);
    const verdict = await json<CrawlVerdict>(`${simulator.url}/web/verdict`);
    return {
      finished: crawl.status === 'finished',
      seconds: took,
      latencyWindow: { atS, healedAtS },
      pagesPerSecond: verdict.fetchedPages / took,
      // URLs done per second before the fault, during it, and after it healed.
      pace: {
        before: pace(doneAtFault, atS),
        during: pace(doneAtHeal - doneAtFault, healedAtS - atS),
        after: pace(crawl.done - doneAtHeal, took - healedAtS),
      },
      boundPerSecond: (WEB.hosts * 1_000) / WEB.minIntervalMs,
      verdict,
    };
  } finally {
    await proxies.heal(fault).catch(() => undefined);
    await stopAll(procs);
    await redis.cleanup();
    await db.drop();
  }
}

const ms = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '-');

function schedulerSection(r: SchedulerKillResult): string {
  const v = r.verifier.violations;
  return `## scheduler-kill: an instance killed during a burst of ${r.jobs} due jobs

Two firing scheduler instances (${PARTITIONS} partitions, lease ${LEASE_MS} ms, POLL_MS 20) and
a third, not firing, as the callbacks' sink; Redis and Postgres through toxiproxy. ${r.jobs}
one-off jobs fall due in the same second; instance-2 gets SIGKILL ${ms(r.killedAtMs)} ms after
the due time. Its partitions are claimed again by instance-1 once its lease lapses.

| jobs | claimed by the killed instance, undelivered at its death | of its claims, delivered by the survivor | drain (ms) | lag p50 (ms) | lag p99 (ms) | lag max (ms) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${r.jobs} | ${r.orphaned} | ${r.takenOver} | ${ms(r.drainMs)} | ${ms(r.lagP50)} | ${ms(r.lagP99)} | ${ms(r.lagMax)} |

Verifier (libs/invariants verifySchedulerInvariants, on the sink's table):
${r.verifier.appliedFires} of ${r.verifier.expectedFires} fires applied, ${r.verifier.deliveries} deliveries;
missed **${v.missed}**, applied twice **${v.appliedTwice}**, early **${v.early}**,
unscheduled **${v.unscheduled}**, stale-owner writes **${v.staleOwnerWrites}**.
`;
}

function crawlerSection(r: CrawlerLatencyResult): string {
  const v = r.verdict;
  return `## crawler-redis-latency: +${LATENCY_MS} ms on every Redis reply mid-crawl

Two crawler workers; the web simulator's web of ${WEB.hosts} hosts x ${WEB.pagesPerHost} pages
(seed ${WEB.seed}, slow hosts up to ${WEB.slowMs} ms), politeness ${WEB.minIntervalMs} ms per
host; Redis and Postgres through toxiproxy. Latency on the Redis link from ${r.latencyWindow.atS} s
to ${r.latencyWindow.healedAtS} s of the crawl (membership heartbeats, partition claims and the
per-host limiter all wait on it).

| finished | crawl (s) | pages | requests | pages/s | URLs done/s before / during / after the latency | politeness bound (req/s) |
| :---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${r.finished ? 'yes' : '**no**'} | ${r.seconds} | ${v.fetchedPages} of ${v.reachable} | ${v.requests} | ${r.pagesPerSecond.toFixed(1)} | ${[r.pace.before, r.pace.during, r.pace.after].map((n) => (Number.isFinite(n) ? n.toFixed(1) : '-')).join(' / ')} | ${r.boundPerSecond} |

CrawlVerdict (the web simulator's GET /web/verdict): missed **${v.missed}**, fetched twice
**${v.duplicates}**, unexpected **${v.unexpected}**, rate violations **${v.rateViolations}**
(smallest gap between two requests to one host: ${v.smallestGapMs === null ? '-' : v.smallestGapMs.toFixed(1)} ms).
`;
}

async function main(): Promise<number> {
  const unknown = runs.find((r) => !RUNS.includes(r));
  if (unknown) {
    console.error(`--runs: no run "${unknown}"; there are: ${RUNS.join(', ')}`);
    return 2;
  }
  const toxiproxy = infra['TOXIPROXY_URL'];
  if (!toxiproxy) throw new Error(`no TOXIPROXY_URL in ${ENDPOINTS_FILE}: npm run infra:up`);
  const proxies = new LinkProxies(toxiproxy, infra);
  await proxies.open(['redis', 'postgres']);
  const sections: string[] = [];
  let clean = true;
  if (runs.includes('scheduler-kill')) {
    console.log('scheduler-kill:');
    const r = await schedulerKill(proxies);
    console.log(`  verifier ${JSON.stringify(r.verifier.violations)}; lag p99 ${ms(r.lagP99)} ms`);
    clean &&= r.verifier.total === 0 && r.verifier.appliedFires === r.jobs;
    sections.push(schedulerSection(r));
  }
  if (runs.includes('crawler-redis-latency')) {
    console.log('crawler-redis-latency:');
    const r = await crawlerRedisLatency(proxies);
    console.log(`  finished ${r.finished} in ${r.seconds} s; verdict ${JSON.stringify(r.verdict)}`);
    const v = r.verdict;
    clean &&= r.finished && v.missed + v.duplicates + v.unexpected + v.rateViolations === 0;
    sections.push(crawlerSection(r));
  }
  const file = writeResults(
    'chaos-assignment',
    `# Chaos: the scheduler and the crawler under faults

${runContext()}
- the machine was shared with other helpers' builds, tests and benchmarks (see the load
  average above): timings are from a busy 2-core machine, not a quiet one

Produced by \`npm run chaos:assignment -- --runs ${runs.join(',')} --jobs ${JOBS} --latency-ms ${LATENCY_MS}\`
(load-tests/src/chaos/assignment.ts): real service processes started from source, each run on
its own scratch database and Redis prefix, their Redis and Postgres connections through the
native chaos links (toxiproxy, load-tests/src/chaos/links.ts). Every count in bold must be 0.

${sections.join('\n')}`,
  );
  console.log(`results: ${file}`);
  return clean ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
