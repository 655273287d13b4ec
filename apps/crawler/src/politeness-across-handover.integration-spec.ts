import { randomUUID } from 'node:crypto';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  ownerOf,
  PartitionAssigner,
  partitionOf,
  poolTransactionRunner,
  PostgresEpochs,
} from '@suite/coordination';
import { initializeAndMigrate } from '@suite/service-kit';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { DataSource } from 'typeorm';
import { CRAWLER_MIGRATIONS } from './database/migrations';
import { FrontierRepository } from './frontier/infra/frontier.repository';
import { SharedHostPoliteness } from './frontier/infra/host-politeness';
import { LoopbackFetcher, type SendCheck } from './frontier/infra/loopback-fetcher';
import { FRONTIER_GROUP, FrontierWorker, type Fetcher } from './workers/frontier-worker';

// Two workers in this process over the real Postgres and Redis, a host that stamps every
// arrival, and a worker that stalls between the limiter's decision and its send (the stall
// is a gate in front of the fetcher, so it is exact). The host's partition moves from A to
// B around the stall. The host must never see two requests closer than the crawl's interval.
const PARTITIONS = 32;
const GUARD_MS = 10;
const A = 'handover-a';
const B = 'handover-b';

// A host of the simulated web whose partition rendezvous gives to B once B has joined.
function hostMovingToB(): string {
  for (let i = 0; ; i += 1) {
    const host = `site-${i}.web.test`;
    if (ownerOf(partitionOf(host, PARTITIONS), [A, B]) === B) return host;
  }
}

// Holds the first request for one path until released, then lets it go through the real
// fetcher (with the worker's last ownership check).
class StallingFetcher implements Fetcher {
  private stalled = false;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  readonly reached: Promise<void>;
  private reach!: () => void;

  constructor(
    private readonly inner: Fetcher,
    private readonly path: string,
  ) {
    this.reached = new Promise<void>((resolve) => (this.reach = resolve));
  }

  async fetch(url: string, mayStillSend?: SendCheck) {
    if (!this.stalled && new URL(url).pathname === this.path) {
      this.stalled = true;
      this.reach();
      await this.opened;
    }
    return this.inner.fetch(url, mayStillSend);
  }

  release(): void {
    this.open();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('politeness across a partition handover', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let server: Server;
  let port: number;
  // path -> page; every request is stamped on arrival.
  let pages: Record<string, string> = {};
  let arrivals: { path: string; at: number }[] = [];
  const agent = new Agent({ keepAlive: true });
  const repository = new FrontierRepository();
  let stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('crawl_handover', 8);
    const dataSource = new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: CRAWLER_MIGRATIONS,
    });
    await initializeAndMigrate(dataSource);
    await dataSource.destroy();
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      arrivals.push({ path, at: performance.now() });
      const page = pages[path];
      res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html' });
      res.end(page ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await db.drop();
  });

  beforeEach(() => {
    redis = createTestRedis('crawl-handover');
    arrivals = [];
  });

  afterEach(async () => {
    // Workers first (they wait for their requests), then the assigners hand over.
    for (const stop of stops.reverse()) await stop();
    stops = [];
    await redis.cleanup();
  }, 30_000);

  async function member(memberId: string, fetcher: Fetcher): Promise<void> {
    const assigner = new PartitionAssigner({
      redis: redis.client,
      namespace: 'crawler',
      epochs: new PostgresEpochs(db.pool),
      group: FRONTIER_GROUP,
      memberId,
      partitions: PARTITIONS,
      leaseMs: 1_000,
      heartbeatMs: 50,
    });
    await assigner.start();
    stops.push(() => assigner.stop());
    const worker = new FrontierWorker({
      tx: poolTransactionRunner(db.pool),
      sql: db.pool,
      repository,
      ownership: assigner,
      politeness: new SharedHostPoliteness(redis.client),
      fetcher,
      partitions: PARTITIONS,
      concurrency: 4,
      guardMs: GUARD_MS,
      idleMs: 10,
      maxAttempts: 3,
      mode: 'fenced',
    });
    worker.start();
    stops.push(() => worker.stop());
  }

  async function startCrawl(host: string, minIntervalMs: number): Promise<void> {
    const seed = `http://${host}/`;
    await poolTransactionRunner(db.pool).inTransaction(async (sql) => {
      const id = randomUUID();
      await repository.insertCrawl(sql, { id, seeds: [seed], minIntervalMs, maxDepth: 5 });
      await repository.enqueue(sql, id, [
        { url: seed, host, partition: partitionOf(host, PARTITIONS), depth: 0 },
      ]);
    });
  }

  const fetcher = () =>
    new LoopbackFetcher({ webSimulatorPort: port, timeoutMs: 5_000, maxBodyBytes: 100_000, agent });
  const arrived = (path: string) => arrivals.filter((a) => a.path === path).length;

  // The shortest time between two arrivals at the host, in ms.
  function closestArrivals(): number {
    const at = arrivals.map((a) => a.at).sort((x, y) => x - y);
    return Math.min(...at.slice(1).map((t, i) => t - (at[i] ?? -Infinity)));
  }

  it('a-worker-stalled-between-decision-and-send-sends-nothing-once-its-partition-moved', async () => {
    const minIntervalMs = 300;
    pages = { '/': '<p>no links</p>' };
    const host = hostMovingToB();
    const stalling = new StallingFetcher(fetcher(), '/');
    await member(A, stalling);
    await startCrawl(host, minIntervalMs);
    // A's limiter has admitted the page (its window runs from now); A stalls before sending.
    await stalling.reached;
    // B joins, A hands the host's partition over, B adopts it and fetches the page.
    await member(B, fetcher());
    await until('B to fetch the page', () => arrived('/') === 1);
    // A wakes and goes on with the request it was admitted for.
    stalling.release();
    await sleep(300);
    expect(closestArrivals()).toBeGreaterThanOrEqual(minIntervalMs);
    expect(arrivals.map((a) => a.path)).toEqual(['/robots.txt', '/']);
  }, 30_000);

  it('a-new-owner-spaces-its-first-request-from-a-former-owners-late-send', async () => {
    const minIntervalMs = 1_000;
    pages = { '/': '<a href="/next">next</a>', '/next': '<p>no links</p>' };
    const host = hostMovingToB();
    const stalling = new StallingFetcher(fetcher(), '/');
    await member(A, stalling);
    await startCrawl(host, minIntervalMs);
    // A stalls 300 ms between the limiter's decision and the send, well past the guard, and
    // sends while it still owns the host.
    await stalling.reached;
    await sleep(300);
    stalling.release();
    await until('A to send the page', () => arrived('/') === 1);
    // Then the host's partition moves to B, which fetches the page's link.
    await member(B, fetcher());
    await until('B to fetch the link', () => arrived('/next') === 1);
    expect(closestArrivals()).toBeGreaterThanOrEqual(minIntervalMs);
    expect(arrivals.map((a) => a.path)).toEqual(['/robots.txt', '/', '/next']);
  }, 30_000);
});
