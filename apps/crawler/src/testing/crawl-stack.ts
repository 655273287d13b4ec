import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  forkTs,
  freePort,
  integrationEndpoints,
  killAndWait,
  TestTokens,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import type { CrawlVerdict } from '@suite/contracts';

// Test support: the web simulator and crawler workers as real processes (the services'
// own main.ts), on a fresh database and Redis prefix, and the verdict of a crawl.

export interface CrawlState {
  id: string;
  status: 'running' | 'finished';
  queued: number;
  fetching: number;
  done: number;
  outcomes: Record<string, number>;
  fetchesPerSecond: number;
}

export interface Worker {
  name: string;
  port: number;
  process: ChildProcess;
}

const ROOT = join(__dirname, '../../../..');

async function waitReady(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process on ${port} exited at start`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(1_000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`process on ${port} not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface CrawlStackOptions {
  label: string;
  // The web simulator's settings for this run.
  web?: {
    hosts?: number;
    pagesPerHost?: number;
    minIntervalMs?: number;
    slowMs?: number;
    seed?: number;
  };
  // Environment of every crawler worker (CRAWLER_MODE, CRAWLER_LEASE_MS, ...).
  crawlerEnv?: Record<string, string>;
  // A Redis other than the stack's (a private one to restart).
  redisUrl?: string;
  // Environment of the web simulator (WEB_ARRIVALS_FILE, ...).
  simulatorEnv?: Record<string, string>;
}

export class CrawlStack {
  readonly tokens = new TestTokens();
  readonly workers: Worker[] = [];
  private simulator: ChildProcess | undefined;
  simulatorPort = 0;
  db!: TestDatabase;
  redis!: TestRedis;
  private operator: { authorization: string } | undefined;
  private started = 0;

  constructor(private readonly options: CrawlStackOptions) {}

  async start(): Promise<void> {
    this.db = await createTestDatabase(this.options.label, 4);
    this.redis = createTestRedis(this.options.label);
    this.operator = await this.tokens.operator();
    this.simulatorPort = await freePort();
    this.simulator = forkTs(join(ROOT, 'apps/web-simulator/src/main.ts'), [], {
      PORT: String(this.simulatorPort),
      JWT_PUBLIC_KEY: this.tokens.publicKeyPem,
      // Its failing pages are 503s on purpose: not worth a log line each.
      LOG_LEVEL: 'fatal',
      ...(this.options.simulatorEnv ?? {}),
    });
    await waitReady(this.simulatorPort, this.simulator);
    await this.resetWeb();
  }

  async resetWeb(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.simulatorPort}/web`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minIntervalMs: 50, ...(this.options.web ?? {}) }),
    });
    if (!res.ok) throw new Error(`PUT /web answered ${res.status}`);
  }

  async addWorker(env: Record<string, string> = {}): Promise<Worker> {
    const port = await freePort();
    const name = `w${++this.started}`;
    const child = forkTs(join(ROOT, 'apps/crawler/src/main.ts'), [], {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.db.url,
      DATABASE_POOL_SIZE: '6',
      REDIS_URL: this.options.redisUrl ?? integrationEndpoints().redisUrl,
      REDIS_KEY_PREFIX: this.redis.prefix,
      JWT_PUBLIC_KEY: this.tokens.publicKeyPem,
      WEB_SIMULATOR_PORT: String(this.simulatorPort),
      CRAWLER_MEMBER_ID: `${this.options.label}-${name}`,
      ...(this.options.crawlerEnv ?? {}),
      ...env,
    });
    await waitReady(port, child);
    const worker = { name, port, process: child };
    this.workers.push(worker);
    return worker;
  }

  async startCrawl(body: { seeds?: string[]; minIntervalMs: number }): Promise<CrawlState> {
    const worker = this.live()[0] as Worker;
    const res = await fetch(`http://127.0.0.1:${worker.port}/crawls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.operator },
      body: JSON.stringify({ seeds: ['http://site-0.web.test/'], ...body }),
    });
    if (res.status !== 201)
      throw new Error(`POST /crawls answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as CrawlState;
  }

  async crawl(id: string): Promise<CrawlState> {
    const worker = this.live()[0] as Worker;
    const res = await fetch(`http://127.0.0.1:${worker.port}/crawls/${id}`, {
      headers: { ...this.operator },
    });
    return (await res.json()) as CrawlState;
  }

  async waitFinished(id: string, timeoutMs: number): Promise<CrawlState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.crawl(id);
      if (state.status === 'finished' || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async verdict(): Promise<CrawlVerdict> {
    const res = await fetch(`http://127.0.0.1:${this.simulatorPort}/web/verdict`);
    return (await res.json()) as CrawlVerdict;
  }

  // One counter of a worker's /metrics (0 when it has not counted anything yet).
  async metric(worker: Worker, name: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  live(): Worker[] {
    return this.workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null);
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) {
      // A paused worker must be woken to die.
      worker.process.kill('SIGCONT');
      await killAndWait(worker.process, 'SIGKILL');
    }
    if (this.simulator) await killAndWait(this.simulator, 'SIGKILL');
    await this.redis?.cleanup();
    await this.db?.drop();
  }
}
