// The crawler's benchmark of issue 15, on real service processes (apps/web-simulator and
// apps/crawler started from source, as they ship) against the local Postgres and Redis:
// one crawl of the generated web by 1, 2 and 4 crawler workers, at two politeness intervals:
// a strict one, where the hosts' rate is the ceiling, and a loose one, where the workers are.
// For each run: requests per second against the politeness bound (hosts x 1000 / interval,
// the most the web simulator allows), pages per second, the ratio to the 1-worker run of the
// same interval, and the simulator's verdict (missed, fetched twice, rate violations).
// Not a test: it prints the figures and writes load-tests/results/crawler-<date>.md. Each
// run has its own scratch database and Redis prefix, removed at the end.
//
// With --join-after-ms n, the last worker of each run of 2 or more starts n ms after the crawl
// did, so its partitions move to it mid-crawl: the handover's cost is in those runs.
//
//   npm run bench:crawler -- [--workers 1,2,4] [--intervals 200,20] [--hosts 24] [--pages 40]
//     [--join-after-ms 3000] [--label text]
import { createTestDatabase, createTestRedis, TestTokens } from '@suite/testing';
import { endpoint, runContext, writeResults } from '../lib/results';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import type { CrawlVerdict } from '@suite/contracts';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const WORKERS = (arg('workers') ?? '1,2,4').split(',').map(Number);
const INTERVALS = (arg('intervals') ?? '200,20').split(',').map(Number);
const HOSTS = Number(arg('hosts') ?? 24);
const PAGES = Number(arg('pages') ?? 40);
const GUARD_MS = 10;
const JOIN_AFTER_MS = arg('join-after-ms') === undefined ? undefined : Number(arg('join-after-ms'));
const LABEL = arg('label') ?? 'run';
const redisUrl = endpoint('REDIS_URL');
// The scratch database and Redis prefix come from the test harness, which reads the
// endpoints from the environment as the integration tier's global setup leaves them.
for (const name of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']) {
  process.env[name] ??= endpoint(name);
}
const tokens = new TestTokens();

interface Run {
  workers: number;
  intervalMs: number;
  seconds: number;
  verdict: CrawlVerdict;
  boundPerSecond: number;
  finished: boolean;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function crawlOnce(simulator: ServiceProcess, workers: number, intervalMs: number) {
  const label = `bench_crawl_${workers}_${intervalMs}`;
  const db = await createTestDatabase(label, 2);
  const redis = createTestRedis(label);
  const crawlers: ServiceProcess[] = [];
  try {
    const env = {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '8',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      JWT_PUBLIC_KEY: tokens.publicKeyPem,
      WEB_SIMULATOR_PORT: String(simulator.port),
      LOG_LEVEL: 'warn',
      CRAWLER_GUARD_MS: String(GUARD_MS),
      CRAWLER_CONCURRENCY: '32',
    };
    // One at a time: the first applies the migrations, the others find them applied.
    const joining = JOIN_AFTER_MS !== undefined && workers > 1 ? 1 : 0;
    for (let i = 0; i < workers - joining; i++) {
      crawlers.push(await startServiceProcess('crawler', env));
    }
    // Let the members see each other and settle the partitions before the clock starts.
    await new Promise((r) => setTimeout(r, 2_500));
    await json(`${simulator.url}/web`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hosts: HOSTS, pagesPerHost: PAGES, minIntervalMs: intervalMs }),
    });
    const auth = await tokens.operator();
    const first = crawlers[0] as ServiceProcess;
    const startedAt = performance.now();
    const crawl = await json<{ id: string }>(`${first.url}/crawls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ seeds: ['http://site-0.web.test/'], minIntervalMs: intervalMs }),
    });
    let joined: Promise<void> = Promise.resolve();
    if (joining > 0) {
      joined = new Promise((r) => setTimeout(r, JOIN_AFTER_MS)).then(async () => {
        crawlers.push(await startServiceProcess('crawler', env));
      });
    }
    let finished = false;
    const deadline = Date.now() + 180_000;
    while (!finished && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const state = await json<{ status: string }>(`${first.url}/crawls/${crawl.id}`, {
        headers: auth,
      });
      finished = state.status === 'finished';
    }
    const seconds = (performance.now() - startedAt) / 1000;
    await joined;
    const verdict = await json<CrawlVerdict>(`${simulator.url}/web/verdict`);
    return {
      workers,
      intervalMs,
      seconds,
      verdict,
      boundPerSecond: (HOSTS * 1000) / intervalMs,
      finished,
    } satisfies Run;
  } finally {
    for (const crawler of crawlers) await crawler.stop();
    await redis.cleanup();
    await db.drop();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const simulator = await startServiceProcess('web-simulator', {
    JWT_PUBLIC_KEY: tokens.publicKeyPem,
    LOG_LEVEL: 'fatal',
    WEB_SLOW_MS: '0',
  });
  const runs: Run[] = [];
  try {
    for (const intervalMs of INTERVALS) {
      for (const workers of WORKERS) {
        const run = await crawlOnce(simulator, workers, intervalMs);
        runs.push(run);
        const { verdict } = run;
        console.log(
          `interval ${intervalMs} ms, ${workers} worker(s): ${verdict.requests} requests in ${fmt(run.seconds)} s = ` +
            `${fmt(verdict.requests / run.seconds)}/s of a ${fmt(run.boundPerSecond, 0)}/s bound; ` +
            `missed ${verdict.missed}, twice ${verdict.duplicates}, violations ${verdict.rateViolations}`,
        );
      }
    }
  } finally {
    await simulator.stop();
  }

  const rows = runs.map((run) => {
    const base = runs.find((r) => r.intervalMs === run.intervalMs && r.workers === WORKERS[0]);
    const rate = run.verdict.requests / run.seconds;
    const baseRate = base ? base.verdict.requests / base.seconds : rate;
    const v = run.verdict;
    return (
      `| ${run.intervalMs} | ${run.workers} | ${v.fetchedPages} | ${v.requests} | ${fmt(run.seconds)} | ` +
      `${fmt(v.fetchedPages / run.seconds)} | ${fmt(rate)} | ${fmt(run.boundPerSecond, 0)} | ` +
      `${fmt((HOSTS * 1000) / (run.intervalMs + GUARD_MS), 0)} | ` +
      `${fmt((rate / run.boundPerSecond) * 100, 0)}% | ${fmt(rate / baseRate, 2)}x | ` +
      `${v.missed} | ${v.duplicates} | ${v.unexpected} | ${v.rateViolations} | ` +
      `${v.smallestGapMs === null ? '-' : fmt(v.smallestGapMs)} | ${run.finished ? 'yes' : 'NO'} |`
    );
  });
  const markdown = [
    '# Crawler: pages per second against the politeness bound, by worker count',
    '',
    `- label: ${LABEL}`,
    runContext(),
    '- the machine was shared with other work while this ran (see the load average); figures are',
    '  indicative of this machine at that load, not of a quiet one',
    '',
    `Web: ${HOSTS} hosts of ${PAGES} pages (web simulator, seed 1, no slow hosts), crawled from`,
    `http://site-0.web.test/. Each worker: CRAWLER_CONCURRENCY=32, 32 partitions,`,
    `CRAWLER_GUARD_MS=${GUARD_MS} (each host's window is the interval plus this). The bound is`,
    'hosts x 1000 / interval: the most requests per second the web simulator counts as polite;',
    'the crawler ceiling is hosts x 1000 / (interval + guard), the most its windows admit.',
    'Requests include robots.txt (one per host). The ratio column compares each run with the',
    `${WORKERS[0]}-worker run of the same interval, measured in the same invocation.`,
    ...(JOIN_AFTER_MS === undefined
      ? []
      : [
          `In runs of 2 or more workers, the last worker started ${JOIN_AFTER_MS} ms after the crawl,`,
          'so part of the partitions moved to it mid-crawl.',
        ]),
    '',
    '| interval (ms) | workers | pages | requests | s | pages/s | requests/s | bound/s | crawler ceiling/s | of bound | vs 1 worker | missed | twice | unexpected | rate violations | smallest gap (ms) | finished |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `Run: \`npm run bench:crawler${
      process.argv.slice(2).length
        ? ` -- ${process.argv
            .slice(2)
            .map((a) => (a.includes(' ') ? `"${a}"` : a))
            .join(' ')}`
        : ''
    }\`.`,
  ].join('\n');
  console.log(`\nresults: ${writeResults('crawler', markdown)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
