// Decisions per second and p99 latency through the rate-limiter service (HTTP POST /check,
// autocannon), against two floors measured in the same run at the same concurrency: plain
// Fastify answering POST /check with a constant JSON (the same decision body, so the same
// bytes on the wire), and the same decision as an in-process library call (createLimiter,
// the way the gateway embeds it) on the same Redis. The service runs as it ships: a token
// checked on every request, the body validated, LOG_LEVEL=info with its log in a file. Not
// a test: it prints ratios and writes load-tests/results/rate-limiter-service-<date>.md.
//
//   npm run bench:rate-limiter -- [--ops 20000] [--concurrency 32] [--rounds 3] [--profile]
//
// --profile runs the service under `node --cpu-prof` (profile in .local/profiles/).
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
import { forkTs, freePort, killAndWait, nextMessage } from '@suite/testing';
import { autocannon, rate } from '../lib/autocannon';
import { endpoint, libraryVersion, runContext, writeResults } from '../lib/results';
import { startLoggedService, type LoggedService } from './logged-service';
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
const CONCURRENCY = Number(arg('concurrency') ?? 32);
const PROFILE = process.argv.includes('--profile');
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

async function startService(policyPath: string): Promise<LoggedService> {
  return startLoggedService(
    'rate-limiter',
    {
      REDIS_URL: redisUrl as string,
      REDIS_KEY_PREFIX: PREFIX,
      REDIS_TIMEOUT_MS: '5000',
      POLICY_FILE: policyPath,
      POLICY_RELOAD_INTERVAL_MS: '0',
      JWT_PUBLIC_KEY: jwtKeys.publicKeyPem,
      LOG_LEVEL: 'info',
    },
    {
      port: await freePort(),
      logName: 'rate-limiter-bench',
      profile: PROFILE,
      readyPath: '/health',
    },
  );
}

// The same requests to the service and to the bare server: one operator's token, 1000
// users' descriptors in turn.
// Requests are built once and cycled through, and answers are counted by status only (an
// onResponse callback makes autocannon collect every body), so the load generator, which
// shares the cores, spends as little as it can per request. A denial is a 429, so every
// answer but an admit shows up in non2xx.
async function overHttp(url: string, ops: number): Promise<Sample> {
  const result = await autocannon({
    url: `${url}/check`,
    connections: CONCURRENCY,
    amount: ops,
    requests: Array.from({ length: KEYS }, (_, user) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify({ domain: 'bench', descriptors: [{ user: `u${user}` }] }),
    })),
  });
  if (result.non2xx > 0 || result.errors > 0 || result['2xx'] !== ops) {
    throw new Error(
      `${url}: ${result['2xx']} of ${ops} admitted, ${result.non2xx} other answers, ${result.errors} errors`,
    );
  }
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

let operatorToken = '';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  operatorToken = await signer.sign({ userId: 'bench', scopes: [SCOPES.opsAdmin] });
  const dir = mkdtempSync(join(tmpdir(), 'rate-limiter-bench-'));
  const policyPath = join(dir, 'policies.json');
  writeFileSync(policyPath, JSON.stringify(policyFile));
  const redis = new Redis(redisUrl as string, { keyPrefix: PREFIX });
  const limiterService = await startService(policyPath);
  // The bare server answers with a real decision's body, taken from the service.
  const sample = await fetch(`${limiterService.url}/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ domain: 'bench', descriptors: [{ user: 'sample' }] }),
  });
  const decisionBody = await sample.text();
  if (sample.status !== 200) throw new Error(`sample decision: ${sample.status} ${decisionBody}`);
  const bareProcess = forkTs(join(__dirname, 'bare-fastify.server.ts'), [decisionBody]);
  const bareUrl = `http://127.0.0.1:${(await nextMessage<{ port: number }>(bareProcess)).port}`;
  const arms: { name: string; run: (ops: number, round: string) => Promise<Sample> }[] = [
    { name: 'service', run: (ops) => overHttp(limiterService.url, ops) },
    { name: 'bare', run: (ops) => overHttp(bareUrl, ops) },
    { name: 'library', run: (ops, round) => inProcess(redis, ops, round) },
  ];
  const samples = new Map<string, Sample[]>(arms.map((a) => [a.name, []]));
  try {
    // Warm-up: scripts loaded, JIT, token cache and connections warm on every side.
    for (const arm of arms) await arm.run(2_000, 'warm');
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate which side runs first so none always gets the cooler machine.
      for (let i = 0; i < arms.length; i++) {
        const arm = arms[(i + round) % arms.length] as (typeof arms)[number];
        const sampled = await arm.run(OPS, String(round));
        samples.get(arm.name)?.push(sampled);
        console.log(
          `round ${round + 1}: ${arm.name} ${sampled.perSecond.toFixed(0)}/s p99 ${sampled.p99.toFixed(2)} ms`,
        );
      }
    }
  } finally {
    await limiterService.stop();
    await killAndWait(bareProcess, 'SIGTERM');
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

  const service = samples.get('service') as Sample[];
  const bare = samples.get('bare') as Sample[];
  const library = samples.get('library') as Sample[];
  const ratio = (a: Sample[], b: Sample[]) =>
    median(a.map((s, i) => s.perSecond / (b[i] as Sample).perSecond));
  const rows = service.map((s, i) => {
    const b = bare[i] as Sample;
    const l = library[i] as Sample;
    return `| ${i + 1} | ${s.perSecond.toFixed(0)} | ${s.p99.toFixed(1)} | ${b.perSecond.toFixed(0)} | ${b.p99.toFixed(1)} | ${l.perSecond.toFixed(0)} | ${l.p99.toFixed(2)} | ${(s.perSecond / b.perSecond).toFixed(2)}x | ${(s.perSecond / l.perSecond).toFixed(2)}x |`;
  });
  const summary = `service / bare Fastify: ${ratio(service, bare).toFixed(2)}x; service / in-process library: ${ratio(service, library).toFixed(2)}x (medians of ${ROUNDS} rounds, throughput)`;
  console.log(summary);
  const report = [
    `# Rate-limiter service: decisions against bare Fastify and the in-process library`,
    '',
    runContext(),
    `- Redis at ${redisUrl} (local, native)`,
    `- workload: ${OPS} decisions per side per round, ${CONCURRENCY} in flight, ${KEYS} users, every decision an admit, policy sliding-log (limit 1,000,000 / 60 s, failure closed)`,
    `- service: one rate-limiter process (NestJS 11 on Fastify, from source, LOG_LEVEL=info with its log in a file), an operator's ES256 token on every request, driven by autocannon ${libraryVersion('autocannon')} over HTTP/1.1 keep-alive (${CONCURRENCY} connections) from the bench process`,
    `- bare Fastify ${libraryVersion('fastify')}: its own process, POST /check parsing the same JSON body and answering a constant decision body (the same bytes), same autocannon settings`,
    `- in-process: createLimiter(...).check() on one ioredis connection, ${CONCURRENCY} concurrent lanes, in the bench process`,
    '',
    '| round | service decisions/s | service p99 ms | bare Fastify req/s | bare p99 ms | in-process decisions/s | in-process p99 ms | service / bare | service / in-process |',
    '| ----- | ------------------- | -------------- | ------------------ | ----------- | ---------------------- | ----------------- | -------------- | -------------------- |',
    ...rows,
    '',
    `**${summary}.**`,
    '',
    `Reproduce: \`npm run bench:rate-limiter -- --ops ${OPS} --concurrency ${CONCURRENCY} --rounds ${ROUNDS}\``,
    '',
  ].join('\n');
  console.log(`written ${writeResults('rate-limiter-service', report)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
