import { randomUUID } from 'node:crypto';
import { SCOPES, type CrawlVerdict } from '@suite/contracts';
import { call, tokenFor, until, webSimulatorUrl } from './support';

interface Crawl {
  id: string;
  status: 'running' | 'finished';
  done: number;
  outcomes: Record<string, number>;
}

const MIN_INTERVAL_MS = 50;

// The web simulator is a loopback fixture the gateway does not publish: the test sets up a
// run and reads its verdict on the simulator's own port.
async function simulator<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${webSimulatorUrl()}${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

// A crawl started and followed through the gateway, with the real crawler behind it and
// the web simulator judging from outside what it was asked: every page reachable from the
// seed fetched exactly once, nothing else fetched, no host's interval broken.
describe('a crawl through the gateway', () => {
  let operator: string;

  beforeAll(async () => {
    operator = await tokenFor(`operator-${randomUUID()}`, [SCOPES.opsAdmin]);
  });

  it('finishes with every reachable page fetched once and 0 rate violations', async () => {
    // A new run of a smaller web than the default: every count starts at 0.
    const web = await simulator<{ seedUrls: string[] }>('PUT', '/web', {
      hosts: 8,
      pagesPerHost: 10,
      minIntervalMs: MIN_INTERVAL_MS,
    });
    const started = await call<Crawl>('POST', '/crawls', {
      token: operator,
      body: { seeds: web.seedUrls, minIntervalMs: MIN_INTERVAL_MS },
    });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('running');

    const finished = await until(
      'the crawl to finish',
      async () => {
        const reply = await call<Crawl>('GET', `/crawls/${started.body.id}`, { token: operator });
        expect(reply.status).toBe(200);
        return reply.body.status === 'finished' ? reply.body : undefined;
      },
      40_000,
      500,
    );
    const verdict = await simulator<CrawlVerdict>('GET', '/web/verdict');
    expect(verdict).toMatchObject({ missed: 0, duplicates: 0, unexpected: 0, rateViolations: 0 });
    expect(verdict.reachable).toBeGreaterThan(50);
    expect(verdict.fetchedPages).toBe(verdict.reachable);
    expect(verdict.smallestGapMs).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    // Disallowed URLs were found and never sent; every page the crawler completed is counted.
    expect(finished.outcomes['disallowed']).toBeGreaterThan(0);
    expect(finished.outcomes['page']).toBeGreaterThan(0);
  }, 55_000);

  it('leaves the crawler to refuse a shopper, a seed off loopback and a malformed body', async () => {
    const shopper = await tokenFor(`shopper-${randomUUID()}`);
    const body = { seeds: ['http://site-0.web.test/'], minIntervalMs: MIN_INTERVAL_MS };
    const forbidden = await call('POST', '/crawls', { token: shopper, body });
    expect(forbidden.status).toBe(403);
    const anonymous = await call('POST', '/crawls', { body });
    expect(anonymous.status).toBe(401);

    const offLoopback = await call('POST', '/crawls', {
      token: operator,
      body: { ...body, seeds: ['http://example.com/'] },
    });
    expect(offLoopback.status).toBe(422);
    expect(offLoopback.body['error']).toBe('seed_not_allowed');
    const malformed = await call('POST', '/crawls', {
      token: operator,
      body: { ...body, minIntervalMs: 'fast' },
    });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body['message'])).toMatch(/minIntervalMs/);
    const missing = await call('GET', `/crawls/${randomUUID()}`, { token: operator });
    expect(missing.status).toBe(404);
  });
});
