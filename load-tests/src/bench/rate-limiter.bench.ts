// Decisions per second and p99 latency through the rate-limiter service (HTTP POST /check,
// autocannon) against the same decision as an in-process library call (createLimiter, the
// way the gateway embeds it), on the same Redis, at the same concurrency, in one run. Not a
// test: it prints ratios and writes load-tests/results/rate-limiter-<date>.md.
//
//   npm run bench:rate-limiter -- [--ops 20000] [--concurrency 64] [--rounds 3]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  descriptorKey,
  limiterPolicyName,
  SCOPES,
  type RateLimitPolicyFile,
} from '@suite/contracts';
import { createLimiter } from '@suite/coordination';
import { DevTokenSigner, generateEs256KeyPair } from '@suite/service-kit';
import Redis from 'ioredis';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import { autocannon, rate, type CannonRequest } from '../lib/autocannon';
import { endpoint, libraryVersion, runContext, writeResults } from '../lib/results';
// The bench checks many users' descriptors, as a trusted caller does: with an operator token.
const jwtKeys = generateEs256KeyPair();
const signer = new DevTokenSigner({
  privateKeyPem: jwtKeys.privateKeyPem,
  issuer: 'suite',
  audience: 'suite',
});
const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const redisUrl = arg('redis') ?? endpoint('REDIS_URL');

const OPS = Number(arg('ops') ?? 20_000);
const CONCURRENCY = Number(arg('concurrency') ?? 64);
const ROUNDS = Number(arg('rounds') ?? 3);
const KEYS = 1_000;
const PREFIX = `bench:rl:${process.pid}:`;

// Spread: 1000 users, every decision an admit (the common path), exact sliding log.
const policyFile: RateLimitPolicyFile = {
  version: 'bench',
  domains: [
    {
      domain: 'bench',
      policies: [
        {
          name: 'per-user',
          match: { user: '*' },
          algorithm: 'sliding-log',
          limit: 1_000_000,
          windowMs: 60_000,
          failure: 'closed',
        },
      ],
    },
  ],
};
const definition = policyFile.domains[0]?.policies[0];
if (!definition) throw new Error('bench policy missing');

interface Sample {
  perSecond: number;
  p99: number;
}

function startService(policyPath: string): Promise<ServiceProcess> {
  return startServiceProcess(
    'rate-limiter',
    {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: PREFIX,
      REDIS_TIMEOUT_MS: '5000',
      POLICY_FILE: policyPath,
      POLICY_RELOAD_INTERVAL_MS: '0',
      JWT_PUBLIC_KEY: jwtKeys.publicKeyPem,
      LOG_LEVEL: 'warn',
    },
    { readyPath: '/health' },
  );
}

async function throughService(url: string, ops: number): Promise<Sample> {
  let seq = 0;
  let notAllowed = 0;
  const operator = {
    authorization: `Bearer ${await signer.sign({ userId: 'bench', scopes: [SCOPES.opsAdmin] })}`,
  };
  const result = await autocannon({
    url: `${url}/check`,
    connections: CONCURRENCY,
    amount: ops,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...operator },
        setupRequest: (request: CannonRequest) => ({
          ...request,
          body: JSON.stringify({ domain: 'bench', descriptors: [{ user: `u${seq++ % KEYS}` }] }),
        }),
        onResponse: (status: number) => {
          if (status !== 200) notAllowed++;
        },
      },
    ],
  });
  if (notAllowed > 0 || result.non2xx > 0) throw new Error(`${notAllowed} non-200 answers`);
  return { perSecond: rate(result), p99: result.latency.p99 };
}

async function inProcess(redis: Redis, ops: number, run: string): Promise<Sample> {
  const { name, limit, windowMs } = definition as NonNullable<typeof definition>;
  const limiter = createLimiter({
    redis,
    timeoutMs: 5_000,
    policy: {
      name: limiterPolicyName(`bench${run}`, name),
      algorithm: 'sliding-log',
      limit,
      windowMs,
      failure: 'closed',
    },
  });
  const latencies = new Float64Array(ops);
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < ops) {
      const i = next++;
      const t = process.hrtime.bigint();
      const decision = await limiter.check(descriptorKey({ user: `u${i % KEYS}` }));
      if (!decision.allowed || decision.source !== 'redis') throw new Error('not a Redis admit');
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  return { perSecond: ops / seconds, p99: latencies[Math.floor(0.99 * ops)] as number };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rate-limiter-bench-'));
  const policyPath = join(dir, 'policies.json');
  writeFileSync(policyPath, JSON.stringify(policyFile));
  const redis = new Redis(redisUrl as string, { keyPrefix: PREFIX });
  const limiterService = await startService(policyPath);
  const { url } = limiterService;
  const service: Sample[] = [];
  const library: Sample[] = [];
  try {
    // Warm-up: scripts loaded, JIT and connections warm on both sides.
    await throughService(url, 2_000);
    await inProcess(redis, 2_000, 'warm');
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side runs first so neither always gets the cooler machine.
      if (round % 2 === 0) {
        service.push(await throughService(url, OPS));
        library.push(await inProcess(redis, OPS, String(round)));
      } else {
        library.push(await inProcess(redis, OPS, String(round)));
        service.push(await throughService(url, OPS));
      }
      const s = service.at(-1) as Sample;
      const l = library.at(-1) as Sample;
      console.log(
        `round ${round + 1}: service ${s.perSecond.toFixed(0)}/s p99 ${s.p99.toFixed(1)} ms; in-process ${l.perSecond.toFixed(0)}/s p99 ${l.p99.toFixed(2)} ms`,
      );
    }
  } finally {
    await limiterService.stop();
    const raw = new Redis(redisUrl as string);
    let cursor = '0';
    do {
      const [nextCursor, found] = await raw.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      if (found.length) await raw.del(...found);
      cursor = nextCursor;
    } while (cursor !== '0');
    raw.disconnect();
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = median(service.map((s, i) => s.perSecond / (library[i] as Sample).perSecond));
  const p99Ratio = median(service.map((s, i) => s.p99 / (library[i] as Sample).p99));
  const rows = service.map((s, i) => {
    const l = library[i] as Sample;
    return `| ${i + 1} | ${s.perSecond.toFixed(0)} | ${s.p99.toFixed(1)} | ${l.perSecond.toFixed(0)} | ${l.p99.toFixed(2)} | ${(s.perSecond / l.perSecond).toFixed(2)}x | ${(s.p99 / l.p99).toFixed(1)}x |`;
  });
  const summary = `service / in-process: throughput ${ratio.toFixed(2)}x, p99 ${p99Ratio.toFixed(1)}x (median of ${ROUNDS} rounds)`;
  console.log(summary);
  const report = [
    `# Rate-limiter service vs in-process library`,
    '',
    runContext(),
    `- Redis at ${redisUrl} (local, native)`,
    `- workload: ${OPS} decisions per side per round, ${CONCURRENCY} in flight, ${KEYS} users, every decision an admit, policy sliding-log (limit 1,000,000 / 60 s, failure closed)`,
    `- service: one rate-limiter process (NestJS 11 on Fastify, LOG_LEVEL=warn), driven by autocannon ${libraryVersion('autocannon')} over HTTP/1.1 keep-alive (${CONCURRENCY} connections) from the bench process`,
    `- in-process: createLimiter(...).check() on one ioredis connection, ${CONCURRENCY} concurrent lanes, in the bench process`,
    '',
    '| round | service decisions/s | service p99 ms | in-process decisions/s | in-process p99 ms | throughput ratio | p99 ratio |',
    '| ----- | ------------------- | -------------- | ---------------------- | ----------------- | ---------------- | --------- |',
    ...rows,
    '',
    `**${summary}.**`,
    '',
    `Reproduce: \`npm run bench:rate-limiter -- --ops ${OPS} --concurrency ${CONCURRENCY} --rounds ${ROUNDS}\``,
    '',
  ].join('\n');
  console.log(`written ${writeResults('rate-limiter', report)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
