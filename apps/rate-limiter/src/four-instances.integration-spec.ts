import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RateLimitPolicyFile } from '@suite/contracts';
import {
  createTestRedis,
  FaultProxy,
  forkTs,
  freePorts,
  integrationEndpoints,
  killAndWait,
  TestTokens,
  type TestRedis,
} from '@suite/testing';

// Four rate-limiter services in separate processes share one Redis, reached through
// toxiproxy so the test can cut it. The test process is the client: it offers 3 × the
// limit, round robin over the instances, and checks every decision's Redis timestamp.
const INSTANCES = 4;
const LIMIT = 40;
const WINDOW_MS = 1_000;
const DURATION_MS = 4_000;
const PER_POLICY_PER_SECOND = 3 * LIMIT * (1_000 / WINDOW_MS);
const FALLBACK_LIMIT = 3;

const policyFile: RateLimitPolicyFile = {
  version: 'four-instances',
  domains: [
    {
      domain: 'acc',
      policies: [
        {
          name: 'exact',
          match: { user: '*' },
          algorithm: 'sliding-log',
          limit: LIMIT,
          windowMs: WINDOW_MS,
          failure: 'closed',
        },
        {
          name: 'approx',
          match: { tenant: '*' },
          algorithm: 'sliding-counter',
          limit: LIMIT,
          windowMs: WINDOW_MS,
          failure: 'closed',
        },
        {
          name: 'open',
          match: { api_key: '*' },
          algorithm: 'sliding-log',
          limit: 100,
          windowMs: 60_000,
          failure: 'open',
          fallback: { limit: FALLBACK_LIMIT },
        },
        {
          name: 'closed',
          match: { route: '*' },
          algorithm: 'sliding-log',
          limit: 100,
          windowMs: 60_000,
          failure: 'closed',
        },
      ],
    },
  ],
};

interface CheckBody {
  allowed: boolean;
  policy: string | null;
  source: string | null;
  reason: string;
  nowMs: number | null;
}

interface Observed {
  status: number;
  body: CheckBody;
  retryAfter: string | null;
}

// Most units admitted within any window (t - windowMs, t] ending at an admit at or after
// `fromMs`; admits before it still count inside such windows.
function maxInAnyWindow(times: number[], windowMs: number, fromMs = -Infinity): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    const end = sorted[last] as number;
    while ((sorted[first] as number) <= end - windowMs) first++;
    if (end < fromMs) continue;
    let through = last;
    while (through + 1 < sorted.length && sorted[through + 1] === end) through++;
    max = Math.max(max, through - first + 1);
  }
  return max;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('four rate-limiter instances in separate processes sharing one Redis', () => {
  let redis: TestRedis;
  let proxy: FaultProxy;
  let dir: string;
  const services: ChildProcess[] = [];
  const urls: string[] = [];
  // The test stands for a trusted caller that checks descriptors of any client.
  const tokens = new TestTokens();
  let operator: { authorization: string };

  const check = async (instance: number, descriptor: Record<string, string>): Promise<Observed> => {
    const response = await fetch(`${urls[instance]}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operator },
      body: JSON.stringify({ domain: 'acc', descriptors: [descriptor] }),
    });
    return {
      status: response.status,
      body: (await response.json()) as CheckBody,
      retryAfter: response.headers.get('retry-after'),
    };
  };

  beforeAll(async () => {
    redis = createTestRedis('rate-limiter instances');
    operator = await tokens.operator();
    const upstream = new URL(integrationEndpoints().redisUrl);
    proxy = await FaultProxy.create('rate-limiter-redis', `${upstream.hostname}:${upstream.port}`);
    dir = mkdtempSync(join(tmpdir(), 'rate-limiter-'));
    const file = join(dir, 'policies.json');
    writeFileSync(file, JSON.stringify(policyFile));
    for (const port of await freePorts(INSTANCES)) {
      urls.push(`http://127.0.0.1:${port}`);
      services.push(
        forkTs(join(__dirname, 'main.ts'), [], {
          PORT: String(port),
          REDIS_URL: `redis://${proxy.host}:${proxy.port}`,
          REDIS_KEY_PREFIX: redis.prefix,
          // Generous: the accuracy run measures the algorithms on a shared 2-core machine,
          // not the timeout path; a cut connection fails fast anyway.
          REDIS_TIMEOUT_MS: '2000',
          REDIS_RECHECK_MS: '200',
          POLICY_FILE: file,
          POLICY_RELOAD_INTERVAL_MS: '0',
          JWT_PUBLIC_KEY: tokens.publicKeyPem,
          LOG_LEVEL: 'error',
        }),
      );
    }
    // Bounded wait for every instance to answer its health check.
    const deadline = Date.now() + 60_000;
    for (const url of urls) {
      for (;;) {
        const ok = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`${url} did not start within 60 s`);
        await sleep(200);
      }
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => killAndWait(s)));
    await proxy.restore().catch(() => undefined);
    await proxy.remove();
    await redis.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('under 3x the limit the exact policy never admits more than the limit in any window, and the approximate error is bounded', async () => {
    const pending: Promise<{ policy: string; observed: Observed }>[] = [];
    const total = Math.ceil((PER_POLICY_PER_SECOND * DURATION_MS) / 1_000);
    const gapMs = 1_000 / PER_POLICY_PER_SECOND;
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      // Bounded in count and in time: stop early rather than overrun a slow machine.
      if (Date.now() - started > DURATION_MS + 2_000) break;
      const wait = started + i * gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      const instance = i % INSTANCES;
      pending.push(
        check(instance, { user: 'shared' }).then((observed) => ({ policy: 'exact', observed })),
      );
      pending.push(
        check((i + 1) % INSTANCES, { tenant: 'shared' }).then((observed) => ({
          policy: 'approx',
          observed,
        })),
      );
    }
    const decisions = await Promise.all(pending);
    expect(decisions.every(({ observed }) => observed.body.source === 'redis')).toBe(true);
    // 429 exactly when denied.
    expect(
      decisions.every(({ observed }) => (observed.status === 429) === !observed.body.allowed),
    ).toBe(true);
    const admits = (policy: string) =>
      decisions
        .filter((d) => d.policy === policy && d.observed.body.allowed)
        .map((d) => d.observed.body.nowMs as number);
    const offered = decisions.filter((d) => d.policy === 'exact').length;
    const runStart = Math.min(...decisions.map((d) => d.observed.body.nowMs as number));
    const exact = admits('exact');
    const approx = admits('approx');
    const exactPeak = maxInAnyWindow(exact, WINDOW_MS);
    const approxPeak = maxInAnyWindow(approx, WINDOW_MS);
    // After two windows the cold start (the first LIMIT admitted at once) is out of the count.
    const approxSteady = maxInAnyWindow(approx, WINDOW_MS, runStart + 2 * WINDOW_MS);
    const errorPct = (units: number) => Number((((units - LIMIT) / LIMIT) * 100).toFixed(1));
    console.log(
      `rate-limiter service, ${INSTANCES} processes at 3x load: ${JSON.stringify({
        offeredPerPolicy: offered,
        limit: LIMIT,
        windowMs: WINDOW_MS,
        exact: { admitted: exact.length, maxInAnySlidingWindow: exactPeak },
        approx: {
          admitted: approx.length,
          maxInAnySlidingWindow: approxPeak,
          steadyMax: approxSteady,
          errorPct: { peak: errorPct(approxPeak), steady: errorPct(approxSteady) },
        },
      })}`,
    );

    expect(offered).toBeGreaterThan(2.5 * LIMIT * (DURATION_MS / WINDOW_MS));
    expect(exactPeak).toBe(LIMIT);
    // Approximate: each fixed window holds at most the limit, so any sliding window holds
    // at most 2x; under steady overload it stays within 15 % of the limit.
    expect(approxPeak).toBeLessThanOrEqual(2 * LIMIT);
    expect(approxSteady).toBeGreaterThanOrEqual(LIMIT * 0.9);
    expect(errorPct(approxSteady)).toBeLessThanOrEqual(15);
  }, 30_000);

  it('with Redis cut, fail-open admits at most its fallback limit per instance, fail-closed denies with the reason, and both recover after restore', async () => {
    await proxy.cut();
    const perInstance = await Promise.all(
      urls.map(async (_, i) => {
        const open: Observed[] = [];
        for (let n = 0; n < FALLBACK_LIMIT + 3; n++) open.push(await check(i, { api_key: 'k1' }));
        const closed = await check(i, { route: 'POST /holds' });
        return { open, closed };
      }),
    );
    for (const { open, closed } of perInstance) {
      expect(open.map((o) => o.body.source)).toEqual(Array(FALLBACK_LIMIT + 3).fill('fallback'));
      expect(open.filter((o) => o.body.allowed)).toHaveLength(FALLBACK_LIMIT);
      expect(open.filter((o) => o.status === 429)).toHaveLength(3);
      expect(closed.status).toBe(429);
      expect(closed.body).toMatchObject({
        allowed: false,
        source: 'failure-policy',
        reason: 'Redis unavailable: policy fails closed, denied until Redis answers',
      });
      expect(Number(closed.retryAfter)).toBeGreaterThanOrEqual(1);
    }

    await proxy.restore();
    // Bounded: every instance returns to Redis decisions within 15 s.
    const deadline = Date.now() + 15_000;
    for (let i = 0; i < INSTANCES; i++) {
      for (;;) {
        const open = await check(i, { api_key: `k-back-${i}` });
        const closed = await check(i, { route: `GET /back-${i}` });
        if (open.body.source === 'redis' && closed.body.source === 'redis') {
          expect(open.body.allowed).toBe(true);
          expect(closed.status).toBe(200);
          break;
        }
        if (Date.now() > deadline) throw new Error(`instance ${i} did not return to Redis`);
        await sleep(100);
      }
    }
  }, 30_000);
});
