import { DisposableRedis } from '@suite/testing';
import { CrawlStack, type CrawlState, type Worker } from './testing/crawl-stack';

// Real crawler processes under faults. A fetch that was on the wire when its worker died or
// froze may be sent again by the partition's next owner, so duplicates are bounded by the
// worker's concurrency, never more; nothing is missed, nothing disallowed is fetched, no
// host's interval is broken, and the crawl finishes.
const CONCURRENCY = 6;
const FAST_LEASES = {
  CRAWLER_LEASE_MS: '1000',
  CRAWLER_HEARTBEAT_MS: '250',
  CRAWLER_CONCURRENCY: String(CONCURRENCY),
};

async function untilWorking(stack: CrawlStack, worker: Worker, atLeast: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await stack.metric(worker, 'crawler_urls_completed_total')) >= atLeast) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function untilDone(stack: CrawlStack, id: string, atLeast: number): Promise<CrawlState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await stack.crawl(id);
    if (state.done >= atLeast || state.status === 'finished' || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker faults', () => {
  let stack: CrawlStack;
  let redis: DisposableRedis | undefined;

  afterEach(async () => {
    await stack.stop();
    await redis?.stop();
    redis = undefined;
  }, 30_000);

  it('a-worker-killed-mid-crawl-loses-no-page-and-its-partitions-finish-elsewhere', async () => {
    stack = new CrawlStack({ label: 'crawl_kill', crawlerEnv: FAST_LEASES });
    await stack.start();
    await stack.addWorker();
    const victim: Worker = await stack.addWorker();
    const started = await stack.startCrawl({ minIntervalMs: 50 });
    const before = await untilDone(stack, started.id, 40);
    expect(before.status).toBe('running');
    victim.process.kill('SIGKILL');
    const crawl = await stack.waitFinished(started.id, 60_000);
    const verdict = await stack.verdict();
    expect(crawl.status).toBe('finished');
    expect(verdict).toMatchObject({ missed: 0, unexpected: 0, rateViolations: 0 });
    expect(verdict.duplicates).toBeLessThanOrEqual(CONCURRENCY);
  }, 120_000);

  it('a-worker-paused-past-its-lease-sends-nothing-stale-and-its-writes-are-fenced', async () => {
    stack = new CrawlStack({ label: 'crawl_pause', crawlerEnv: FAST_LEASES });
    await stack.start();
    const survivor = await stack.addWorker();
    const frozen = await stack.addWorker();
    const started = await stack.startCrawl({ minIntervalMs: 50 });
    await untilDone(stack, started.id, 40);
    // The frozen worker must own partitions and be working them when it freezes, or there is
    // nothing for the survivor to adopt: on a loaded machine the rebalance after it joined can
    // take longer than the first 40 pages.
    await untilWorking(stack, frozen, 5);
    frozen.process.kill('SIGSTOP');
    // Three leases: its partitions are claimed and adopted by the other worker meanwhile.
    await pause(3_000);
    frozen.process.kill('SIGCONT');
    const crawl = await stack.waitFinished(started.id, 60_000);
    const verdict = await stack.verdict();
    expect(crawl.status).toBe('finished');
    expect(verdict).toMatchObject({ missed: 0, unexpected: 0, rateViolations: 0 });
    expect(verdict.duplicates).toBeLessThanOrEqual(CONCURRENCY);
    // It had URLs claimed when it froze: the other worker put them back when it took the
    // partitions over, and the frozen worker's writes for them were refused when it woke.
    expect(await stack.metric(survivor, 'crawler_adopted_urls_total')).toBeGreaterThan(0);
    expect(await stack.metric(frozen, 'crawler_fence_refusals_total')).toBeGreaterThan(0);
  }, 120_000);

  it('a-redis-restart-mid-crawl-loses-claims-and-windows-but-no-page', async () => {
    redis = await DisposableRedis.start();
    stack = new CrawlStack({ label: 'crawl_redis', crawlerEnv: FAST_LEASES, redisUrl: redis.url });
    await stack.start();
    await stack.addWorker();
    await stack.addWorker();
    const started = await stack.startCrawl({ minIntervalMs: 50 });
    await untilDone(stack, started.id, 40);
    await redis.restart();
    const crawl = await stack.waitFinished(started.id, 60_000);
    const verdict = await stack.verdict();
    expect(crawl.status).toBe('finished');
    expect(verdict).toMatchObject({ missed: 0, unexpected: 0, rateViolations: 0 });
    expect(verdict.duplicates).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 120_000);
});
