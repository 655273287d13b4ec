import { CrawlStack } from './testing/crawl-stack';

// Two real crawler processes over one frontier, judged by the web simulator: every reachable
// page fetched exactly once, nothing disallowed fetched, no host's interval broken, and the
// crawl finishes. The naive variant (no partitions, no claim, a per-process limiter) fails
// the same verdict.
describe('crawl verdicts', () => {
  const stack = new CrawlStack({ label: 'crawl_verdicts' });

  beforeAll(() => stack.start(), 90_000);
  afterAll(() => stack.stop(), 30_000);

  it('two-workers-fetch-every-reachable-page-once-within-each-hosts-rate', async () => {
    await stack.addWorker();
    await stack.addWorker();
    const started = await stack.startCrawl({ minIntervalMs: 50 });
    const crawl = await stack.waitFinished(started.id, 60_000);
    const verdict = await stack.verdict();
    expect(crawl.status).toBe('finished');
    expect(verdict.reachable).toBeGreaterThan(100);
    expect(verdict).toMatchObject({ missed: 0, duplicates: 0, unexpected: 0, rateViolations: 0 });
    expect(verdict.fetchedPages).toBe(verdict.reachable);
    // Disallowed URLs were found and never sent.
    expect(crawl.outcomes['disallowed']).toBeGreaterThan(0);
  }, 90_000);

  it('naive-workers-fetch-pages-twice-and-break-host-rates', async () => {
    for (const worker of stack.live()) await worker.process.kill('SIGKILL');
    await stack.resetWeb();
    await stack.addWorker({ CRAWLER_MODE: 'naive' });
    await stack.addWorker({ CRAWLER_MODE: 'naive' });
    const started = await stack.startCrawl({ minIntervalMs: 50 });
    await stack.waitFinished(started.id, 60_000);
    const verdict = await stack.verdict();
    expect(verdict.duplicates).toBeGreaterThan(0);
    expect(verdict.rateViolations).toBeGreaterThan(0);
  }, 90_000);
});
