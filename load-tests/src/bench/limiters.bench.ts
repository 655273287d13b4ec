// Limiter decisions per second and p99 latency, each algorithm against rate-limiter-flexible's
// RateLimiterRedis (fixed window, one Lua call) and against the floor of any Redis-backed
// limiter, one raw INCR round trip (INCR alone, no EXPIRE, no script), on the same Redis,
// same client, same concurrency, in one run. Not a test: it prints ratios and writes
// load-tests/results/limiters-<date>.md.
//
//   npm run bench:limiters -- [--redis redis://host:port] [--ops 10000]
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createLimiter, type RateLimitAlgorithm } from '@suite/coordination';
import { endpoint, libraryVersion, runContext, writeResults } from '../lib/results';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const redisUrl = arg('redis') ?? endpoint('REDIS_URL');

const OPS = Number(arg('ops') ?? 50_000);
const CONCURRENCY = Number(arg('concurrency') ?? 64);
const ROUNDS = Number(arg('rounds') ?? 5);
const WINDOW_MS = 60_000;

interface Scenario {
  name: string;
  keys: number;
  limit: number;
}
// Spread: every decision is an admit, on 1000 keys. Hot: one key over its limit, so almost
// every decision is a denial (the path a limiter takes under attack).
const scenarios: Scenario[] = [
  { name: 'spread (1000 keys, admits)', keys: 1_000, limit: 1_000_000 },
  { name: 'hot key (1 key, denials)', keys: 1, limit: 100 },
];

type Decide = (key: string) => Promise<boolean>;
interface Contender {
  name: string;
  make: (scenario: Scenario, run: string) => Decide;
}

const ours = (algorithm: RateLimitAlgorithm): Contender => ({
  name: algorithm,
  make: (scenario, run) => {
    const limiter = createLimiter({
      redis,
      // The bench measures Redis decisions; a generous timeout keeps the failure path out.
      timeoutMs: 5_000,
      policy: {
        name: `${run}-${algorithm}`,
        algorithm,
        limit: scenario.limit,
        windowMs: WINDOW_MS,
        failure: 'closed',
      },
    });
    return async (key) => {
      const decision = await limiter.check(key);
      if (decision.source !== 'redis') notFromRedis++;
      return decision.allowed;
    };
  },
});

const baseline: Contender = {
  name: 'rate-limiter-flexible',
  make: (scenario, run) => {
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${run}-rlf`,
      points: scenario.limit,
      duration: WINDOW_MS / 1_000,
    });
    return async (key) => {
      try {
        await limiter.consume(key);
        return true;
      } catch (rejection) {
        // It rejects with a result when denied and with an Error when Redis breaks.
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      }
    };
  },
};

// The floor: one plain INCR per decision on the same connection, compared with the limit. It
// keeps no window (the key never expires), so it is no limiter; nothing Redis-backed that
// counts in Redis can take fewer round trips or less work per decision.
const floor: Contender = {
  name: 'raw INCR (floor)',
  make: (scenario, run) => async (key) =>
    (await redis.incr(`${run}-incr:${key}`)) <= scenario.limit,
};

const contenders: Contender[] = [
  floor,
  baseline,
  ours('sliding-log'),
  ours('sliding-counter'),
  ours('gcra'),
  ours('fixed-window'),
];

const redis = new Redis(redisUrl, { keyPrefix: `bench:${process.pid}:` });
let notFromRedis = 0;

interface Sample {
  perSecond: number;
  p50: number;
  p99: number;
  admitted: number;
  // CPU time per decision, µs: this process (the client: the limiter's code, ioredis, the
  // load loop) and the Redis server (its whole CPU over the run: other clients of a shared
  // Redis are in it too). Whichever is near its core's budget bounds the throughput.
  clientUs: number;
  redisUs: number;
}

// The Redis server's CPU time so far (user + system), in µs.
async function redisCpuUs(): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

async function measure(decide: Decide, scenario: Scenario, ops: number): Promise<Sample> {
  const latencies = new Float64Array(ops);
  let next = 0;
  let admitted = 0;
  const redisBefore = await redisCpuUs();
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < ops) {
      const i = next++;
      const t = process.hrtime.bigint();
      if (await decide(`user-${i % scenario.keys}`)) admitted++;
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const redisUs = (await redisCpuUs()) - redisBefore;
  latencies.sort();
  const at = (q: number) => latencies[Math.min(ops - 1, Math.floor(q * ops))] as number;
  return {
    perSecond: ops / seconds,
    p50: at(0.5),
    p99: at(0.99),
    admitted,
    clientUs: (client.user + client.system) / ops,
    redisUs: redisUs / ops,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  await redis.ping();
  const rows: string[] = [];
  const printed: string[] = [];
  let runSeq = 0;
  for (const scenario of scenarios) {
    const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no contender always runs first (cold) or last.
      const order = contenders.map(
        (_, i) => contenders[(i + round) % contenders.length] as Contender,
      );
      for (const contender of order) {
        const decide = contender.make(scenario, `r${runSeq++}`);
        await measure(decide, scenario, Math.min(1_000, OPS)); // warm-up: scripts, JIT
        samples.get(contender.name)?.push(await measure(decide, scenario, OPS));
      }
    }
    // Ratios are paired per round (same minute, same machine load) and then the median is
    // taken: on a shared machine that is steadier than a ratio of medians.
    const base = samples.get(baseline.name) as Sample[];
    const incr = samples.get(floor.name) as Sample[];
    for (const contender of contenders) {
      const list = samples.get(contender.name) as Sample[];
      const rates = list.map((s, round) => s.perSecond / (base[round] as Sample).perSecond);
      const vsFloor = list.map((s, round) => s.perSecond / (incr[round] as Sample).perSecond);
      const p99s = list.map((s, round) => (base[round] as Sample).p99 / s.p99);
      const range = (values: number[]) =>
        `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
      const row = [
        scenario.name,
        contender.name,
        Math.round(median(list.map((s) => s.perSecond))).toString(),
        `${median(rates).toFixed(2)}× (${range(rates)})`,
        `${median(vsFloor).toFixed(2)}× (${range(vsFloor)})`,
        median(list.map((s) => s.p50)).toFixed(2),
        median(list.map((s) => s.p99)).toFixed(2),
        `${median(p99s).toFixed(2)}× (${range(p99s)})`,
        `${(median(list.map((s) => s.admitted / OPS)) * 100).toFixed(1)}%`,
        `${median(list.map((s) => s.clientUs)).toFixed(1)} / ${median(list.map((s) => s.redisUs)).toFixed(1)}`,
      ];
      rows.push(`| ${row.join(' | ')} |`);
      printed.push(row.join('  '));
    }
  }

  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  const report = [
    `# Limiter decisions: this library vs rate-limiter-flexible`,
    '',
    runContext(),
    `- Redis ${redisVersion} on the same machine (${redisUrl}), one ioredis 5 connection shared by every contender`,
    `- ${OPS} decisions per measurement after ${Math.min(1_000, OPS)} warm-up, ${CONCURRENCY} in flight, ${ROUNDS} rounds in rotating order; ratios paired per round, median and range`,
    `- baseline: rate-limiter-flexible ${libraryVersion('rate-limiter-flexible')} RateLimiterRedis (fixed window, INCRBY in one Lua call)`,
    '- floor: one raw `INCR` per decision on the same connection (INCR alone: no EXPIRE, no script, no window), the least any Redis-backed limiter can do; issue 14 asks every limiter to reach 0.9× of it',
    `- decisions that did not come from Redis (timeouts): ${notFromRedis}`,
    '',
    '| scenario | algorithm | decisions/s (median) | throughput ratio vs RLF, median (range) | throughput ratio vs raw INCR, median (range) | p50 ms | p99 ms | p99 ratio RLF / ours, >1 is better, median (range) | admitted | CPU µs per decision, client / Redis server |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Reproduce: `npm run bench:limiters`',
    '',
  ].join('\n');
  console.log(printed.join('\n'));
  console.log(`decisions not from Redis: ${notFromRedis}`);
  console.log(`written ${writeResults('limiters', report)}`);
}

async function cleanup() {
  const raw = new Redis(redisUrl as string);
  let cursor = '0';
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', `bench:${process.pid}:*`, 'COUNT', 1_000);
    if (keys.length) await raw.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  raw.disconnect();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    redis.disconnect();
  });
