// The demo's crawler section: a crawl of the web simulator's generated web by two crawler
// workers, started and followed through the API, judged by the simulator, which counts every
// fetch per URL and every request that came sooner than a host's interval allows.
import type { GatewayClient } from '../lib/gateway-client';
import type { CrawlVerdict } from '@suite/contracts';

export interface CrawlOptions {
  // The web simulator (a loopback test fixture, not public API: set up directly).
  webSimulatorUrl: string;
  hosts: number;
  pagesPerHost: number;
  minIntervalMs: number;
  workers: number;
  deadlineMs: number;
  operatorHeaders: Record<string, string>;
}

export interface CrawlResult {
  workers: number;
  hosts: number;
  minIntervalMs: number;
  seconds: number;
  finished: boolean;
  verdict: CrawlVerdict;
  // hosts x 1000 / interval: the most requests per second the simulator counts as polite.
  boundPerSecond: number;
}

async function simulator<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

export async function runCrawl(client: GatewayClient, o: CrawlOptions): Promise<CrawlResult> {
  // A new run of the generated web: every count starts at 0.
  await simulator(`${o.webSimulatorUrl}/web`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      hosts: o.hosts,
      pagesPerHost: o.pagesPerHost,
      minIntervalMs: o.minIntervalMs,
    }),
  });
  const bearer = o.operatorHeaders['authorization']?.replace(/^Bearer /, '');
  const started = performance.now();
  const crawl = await client.call<{ id: string }>('crawls.start', 'POST', '/crawls', {
    token: bearer,
    body: { seeds: ['http://site-0.web.test/'], minIntervalMs: o.minIntervalMs },
  });
  if (crawl.status !== 201) {
    throw new Error(`starting the crawl answered ${crawl.status}: ${JSON.stringify(crawl.body)}`);
  }
  let finished = false;
  const deadline = Date.now() + o.deadlineMs;
  while (!finished && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const state = await client.call<{ status: string }>(
      'crawl.poll',
      'GET',
      `/crawls/${crawl.body.id}`,
      { token: bearer },
    );
    finished = state.status === 200 && state.body.status === 'finished';
  }
  const seconds = (performance.now() - started) / 1000;
  const verdict = await simulator<CrawlVerdict>(`${o.webSimulatorUrl}/web/verdict`);
  return {
    workers: o.workers,
    hosts: o.hosts,
    minIntervalMs: o.minIntervalMs,
    seconds,
    finished,
    verdict,
    boundPerSecond: (o.hosts * 1000) / o.minIntervalMs,
  };
}
