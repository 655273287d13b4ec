// Lock throughput: acquire + release per second of the fenced hold, raw SET NX PX + DEL, and
// node-redlock (one instance), at the same concurrency, against the same Redis, in one run.
// Not a test: it prints the table and writes load-tests/results/locks-<date>.md.
//   npm run bench:locks -- [seconds] [concurrency] [rounds] [pipelined]
// Each worker locks its own resource, so this measures the cost of the mechanism, not contention.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import Redlock from 'redlock';
import { FencedHolds } from '@suite/coordination';
import { endpoint, libraryVersion, runContext, writeResults } from '../lib/results';
import { percentile } from '../lib/stats';

const seconds = Number(process.argv[2] ?? 2);
const concurrency = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 8);
// 'pipelined' turns on ioredis auto-pipelining: commands issued in one tick share a socket
// write, which moves the bottleneck from this process's syscalls to Redis itself.
const pipelined = process.argv[5] === 'pipelined';
const TTL_MS = 10_000;

type Cycle = (worker: number) => Promise<void>;

async function measure(
  cycle: Cycle,
  ms: number,
): Promise<{ ops: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        await cycle(worker);
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length / (ms / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const prefix = `bench-locks-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(endpoint('REDIS_URL'), {
    keyPrefix: prefix,
    enableAutoPipelining: pipelined,
  });
  // The epoch is read from Postgres once per scope (the first acquire), outside the measured
  // steady state; a constant source keeps the bench to Redis. Keys are private to this run.
  const holds = new FencedHolds({
    namespace: 'test-service',
    redis,
    epochs: { next: async () => 1 },
  });
  const redlock = new Redlock([redis], { retryCount: 0 });

  const variants: Record<string, Cycle> = {
    'fenced hold': async (w) => {
      const request = { scope: 'bench', resources: [`r${w}`], owner: `w${w}` };
      const got = await holds.acquire({ ...request, ttlMs: TTL_MS });
      if (!got.ok) throw new Error(`fenced hold denied: ${got.reason}`);
      await holds.release(request);
    },
    'SET NX PX + DEL': async (w) => {
      if ((await redis.set(`raw:r${w}`, `w${w}`, 'PX', TTL_MS, 'NX')) !== 'OK')
        throw new Error('raw denied');
      await redis.del(`raw:r${w}`);
    },
    'redlock (1 instance)': async (w) => {
      const lock = await redlock.acquire([`redlock:r${w}`], TTL_MS);
      await lock.release();
    },
  };

  // Warm up every variant (script loads, epoch bootstrap, JIT), then interleave the rounds so
  // that drift on a shared machine affects all variants alike.
  for (const cycle of Object.values(variants)) await measure(cycle, 1_000);
  const results = new Map<string, { ops: number; p50: number; p99: number }[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, cycle] of Object.entries(variants)) {
      const r = await measure(cycle, seconds * 1000);
      results.set(name, [...(results.get(name) ?? []), r]);
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = [...results].map(([name, rs]) => ({
    name,
    ops: mean(rs.map((r) => r.ops)),
    p50: mean(rs.map((r) => r.p50)),
    p99: mean(rs.map((r) => r.p99)),
    perRound: rs.map((r) => Math.round(r.ops)),
  }));
  const byName = (n: string) => summary.find((s) => s.name === n)?.ops ?? NaN;
  const lines: string[] = [
    `concurrency ${concurrency}, ${rounds} rounds of ${seconds} s per variant, one ioredis connection${pipelined ? ' with auto-pipelining' : ''}; redlock ${libraryVersion('redlock')}`,
    '',
    '| variant | acquire+release/s (mean) | per round | p50 ms | p99 ms |',
    '| --- | ---: | --- | ---: | ---: |',
  ];
  for (const s of summary) {
    lines.push(
      `| ${s.name} | ${Math.round(s.ops)} | ${s.perRound.join(', ')} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} |`,
    );
  }
  lines.push('');
  // The machine is shared: report the ratio of means and the median of the per-round ratios
  // (each round runs the variants back to back, so a round's ratio sees similar load).
  const perRound = (n: string) => results.get(n)?.map((r) => r.ops) ?? [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  for (const other of ['redlock (1 instance)', 'SET NX PX + DEL']) {
    const fenced = perRound('fenced hold');
    const ratios = perRound(other).map((ops, i) => (fenced[i] ?? NaN) / ops);
    lines.push(
      `- fenced hold / ${other}: ${(byName('fenced hold') / byName(other)).toFixed(2)}x of means, ` +
        `median per-round ratio ${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
  console.log(lines.join('\n'));
  const report = [
    '# Lock acquire + release: the fenced hold vs node-redlock and raw SET NX PX',
    '',
    runContext(),
    '',
    ...lines,
    '',
    `Reproduce: \`npm run bench:locks -- ${seconds} ${concurrency} ${rounds}${pipelined ? ' pipelined' : ''}\``,
  ].join('\n');
  console.log(`written ${writeResults('locks', report)}`);

  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  redis.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
