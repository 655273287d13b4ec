// The scheduler's benchmarks of issue 15, each run on real service processes (apps/scheduler
// started from source, as it ships) against the local Postgres, Redis and Kafka:
// 1. burst throughput: J one-off jobs due at the same second, fired by 1, 2 and 4 instances
//    to a Kafka topic; jobs per second overall and per instance, as a ratio against the
//    1-instance run of the same invocation;
// 2. schedule lag under steady load: C cron jobs firing every second for S seconds, 2
//    instances, delivered over HTTP to the loopback sink; lag = the sink's first receipt
//    minus the scheduled time, p50 and p99.
// Not a test: it prints the figures and writes load-tests/results/scheduler-<date>.md. Each
// run has its own scratch database, Redis prefix and topic, removed at the end.
//
//   npm run bench:scheduler -- [--jobs 5000] [--instances 1,2,4] [--cron-jobs 200] [--seconds 10]
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { partitionOf } from '@suite/coordination';
import { verifySchedulerInvariants } from '@suite/invariants';
import { createTestDatabase, createTestRedis, TestTokens, type TestDatabase } from '@suite/testing';
import { Kafka, logLevel } from 'kafkajs';
import { endpoint, runContext, writeResults } from '../lib/results';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import { percentile } from '../lib/stats';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const JOBS = Number(arg('jobs') ?? 5_000);
const INSTANCES = (arg('instances') ?? '1,2,4').split(',').map(Number);
const CRON_JOBS = Number(arg('cron-jobs') ?? 200);
const SECONDS = Number(arg('seconds') ?? 10);
const PARTITIONS = 64;
const brokers = endpoint('KAFKA_BROKERS');
const redisUrl = endpoint('REDIS_URL');
// The scratch databases and Redis prefixes come from the test harness, which reads these.
process.env['DATABASE_URL'] ??= endpoint('DATABASE_URL');
process.env['REDIS_URL'] ??= redisUrl;
process.env['KAFKA_BROKERS'] ??= brokers;
const tokens = new TestTokens();

interface Cluster {
  db: TestDatabase;
  instances: ServiceProcess[];
  stop(): Promise<void>;
}

// N firing instances (each also serving the API and the sink) on one scratch database.
async function startCluster(label: string, n: number): Promise<Cluster> {
  const db = await createTestDatabase(label, 4);
  const redis = createTestRedis(label);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: '',
    JWT_PUBLIC_KEY: tokens.publicKeyPem,
    LOG_LEVEL: 'warn',
    SCHEDULER_PARTITIONS: String(PARTITIONS),
    DATABASE_POOL_SIZE: '6',
    POLL_MS: '20',
  };
  const instances: ServiceProcess[] = [];
  // One at a time: the first applies the migrations, the others find them applied.
  for (let i = 0; i < n; i++) instances.push(await startServiceProcess('scheduler', env));
  // Let the assignment settle: every instance has joined and claimed its share.
  await sleep(2_500);
  return {
    db,
    instances,
    async stop() {
      await Promise.all(instances.map((p) => p.stop()));
      await redis.cleanup();
      await db.drop();
    },
  };
}

async function insertJobs(
  db: TestDatabase,
  rows: { kind: 'once' | 'cron'; at: number; cron?: string; targetKind: string; target: string }[],
): Promise<string[]> {
  const ids = rows.map(() => randomUUID());
  for (let i = 0; i < rows.length; i += 2_000) {
    const slice = rows.slice(i, i + 2_000);
    const sliceIds = ids.slice(i, i + 2_000);
    await db.pool.query(
      `insert into jobs (id, partition, schedule_kind, run_at, cron, target_kind, target, payload,
                         next_fire_at, first_fire_at)
       select id, p, kind, case when kind = 'once' then to_timestamp(at / 1000) end, cron,
              target_kind, target, '{}'::jsonb, to_timestamp(at / 1000), to_timestamp(at / 1000)
         from unnest($1::uuid[], $2::int[], $3::text[], $4::float8[], $5::text[], $6::text[],
                     $7::text[]) as t(id, p, kind, at, cron, target_kind, target)`,
      [
        sliceIds,
        sliceIds.map((id) => partitionOf(id, PARTITIONS)),
        slice.map((r) => r.kind),
        slice.map((r) => r.at),
        slice.map((r) => r.cron ?? null),
        slice.map((r) => r.targetKind),
        slice.map((r) => r.target),
      ],
    );
  }
  return ids;
}

async function waitForDelivered(db: TestDatabase, expected: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ n: number; last: number | null }>(
      `select count(*)::int as n,
              (extract(epoch from max(delivered_at)) * 1000)::float8 as last
         from fires where status = 'delivered'`,
    );
    const n = rows[0]?.n ?? 0;
    if (n >= expected || Date.now() > deadline) return { n, last: Number(rows[0]?.last ?? 0) };
    await sleep(100);
  }
}

interface BurstResult {
  instances: number;
  jobs: number;
  drainMs: number;
  perSecond: number;
  lagP50: number;
  lagP99: number;
  violations: number;
}

async function burst(n: number, topic: string): Promise<BurstResult> {
  const cluster = await startCluster(`sched_bench_burst_${n}`, n);
  try {
    const runAt = Math.ceil((Date.now() + 2_000) / 1_000) * 1_000;
    await insertJobs(
      cluster.db,
      Array.from({ length: JOBS }, () => ({
        kind: 'once' as const,
        at: runAt,
        targetKind: 'kafka',
        target: topic,
      })),
    );
    const { n: delivered, last } = await waitForDelivered(cluster.db, JOBS, 120_000);
    if (delivered < JOBS) throw new Error(`only ${delivered} of ${JOBS} delivered in 120 s`);
    const { rows } = await cluster.db.pool.query<{ lag: number }>(
      `select (extract(epoch from delivered_at - scheduled_at) * 1000)::float8 as lag
         from fires order by 1`,
    );
    const lags = rows.map((r) => Number(r.lag));
    const { rows: twice } = await cluster.db.pool.query<{ n: number }>(
      `select count(*)::int as n from (select job_id from fires group by job_id having count(*) > 1) x`,
    );
    const drainMs = last - runAt;
    return {
      instances: n,
      jobs: JOBS,
      drainMs,
      perSecond: (JOBS / drainMs) * 1000,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      violations: twice[0]?.n ?? 0,
    };
  } finally {
    await cluster.stop();
  }
}

interface SteadyResult {
  fires: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  violations: Record<string, number>;
}

async function steady(): Promise<SteadyResult> {
  const cluster = await startCluster('sched_bench_steady', 2);
  try {
    const sink = `${cluster.instances[0]?.url}/sink/deliveries`;
    const first = Math.ceil((Date.now() + 1_000) / 1_000) * 1_000;
    const ids = await insertJobs(
      cluster.db,
      Array.from({ length: CRON_JOBS }, () => ({
        kind: 'cron' as const,
        at: first,
        cron: '* * * * * *',
        targetKind: 'http',
        target: sink,
      })),
    );
    await sleep(first - Date.now() + SECONDS * 1_000);
    const until = first + (SECONDS - 1) * 1_000;
    await sleep(1_500);
    const { rows } = await cluster.db.pool.query<{ lag: number }>(
      `select (extract(epoch from first_at - scheduled_at) * 1000)::float8 as lag
         from sink_deliveries where scheduled_at <= to_timestamp($1::float8 / 1000) order by 1`,
      [until],
    );
    const lags = rows.map((r) => Number(r.lag));
    const report = await verifySchedulerInvariants(cluster.db.pool, { until, jobIds: ids });
    return {
      fires: lags.length,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagMax: lags[lags.length - 1] ?? 0,
      violations: report.violations,
    };
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const topic = `scheduled.bench-${Date.now()}`;
  const admin = new Kafka({
    clientId: 'scheduler-bench',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const bursts: BurstResult[] = [];
  try {
    for (const n of INSTANCES) {
      const result = await burst(n, topic);
      bursts.push(result);
      console.log(
        `burst, ${n} instance(s): ${JOBS} jobs in ${Math.round(result.drainMs)} ms = ` +
          `${Math.round(result.perSecond)} jobs/s; lag p50 ${Math.round(result.lagP50)} ms, p99 ${Math.round(result.lagP99)} ms`,
      );
    }
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  const steadyResult = await steady();
  console.log(
    `steady, 2 instances, ${CRON_JOBS} jobs every second: lag p50 ${Math.round(steadyResult.lagP50)} ms, ` +
      `p99 ${Math.round(steadyResult.lagP99)} ms; violations ${JSON.stringify(steadyResult.violations)}`,
  );

  const baseline = bursts.find((b) => b.instances === 1) ?? bursts[0];
  const table = bursts
    .map(
      (b) =>
        `| ${b.instances} | ${b.jobs} | ${Math.round(b.drainMs)} | ${Math.round(b.perSecond)} | ` +
        `${Math.round(b.perSecond / b.instances)} | ${baseline ? (b.perSecond / baseline.perSecond).toFixed(2) : '-'} | ` +
        `${Math.round(b.lagP50)} | ${Math.round(b.lagP99)} | ${b.violations} |`,
    )
    .join('\n');
  const file = writeResults(
    'scheduler',
    `# Scheduler: throughput by instance count and schedule lag

${runContext()}
- the machine was shared with other helpers' builds, tests and benchmarks during the run
  (see the load average above): these are figures from a busy 2-core machine, not a quiet one

Produced by \`npm run bench:scheduler -- --jobs ${JOBS} --instances ${INSTANCES.join(',')} --cron-jobs ${CRON_JOBS} --seconds ${SECONDS}\`
(load-tests/src/bench/scheduler.bench.ts). Every instance is a scheduler process started from
source (apps/scheduler/src/main.ts), ${PARTITIONS} partitions, POLL_MS 20, on its own scratch
database and Redis prefix; the instances, Postgres, Redis and Kafka share the 2 cores.

## Burst: ${JOBS} one-off jobs due at the same second, to a Kafka topic

Drain = from the due second to the last fire recorded delivered (after the broker's ack).
Lag = a fire's recorded delivery minus its scheduled time. The ratio is against the
1-instance run of this invocation. "Twice" counts jobs with more than one fire (must be 0).

| instances | jobs | drain (ms) | jobs/s | jobs/s per instance | ratio vs 1 | lag p50 (ms) | lag p99 (ms) | twice |
| --------: | ---: | ---------: | -----: | ------------------: | ---------: | -----------: | -----------: | ----: |
${table}

## Steady: ${CRON_JOBS} cron jobs every second for ${SECONDS} s, 2 instances, HTTP to the sink

Lag = the sink's first receipt of a fire minus its scheduled time, over ${steadyResult.fires} fires.

| lag p50 (ms) | lag p99 (ms) | lag max (ms) | verifier (missed, twice, early, unscheduled, stale writes) |
| -----------: | -----------: | -----------: | ----------------------------------------------------------- |
| ${Math.round(steadyResult.lagP50)} | ${Math.round(steadyResult.lagP99)} | ${Math.round(steadyResult.lagMax)} | ${Object.values(steadyResult.violations).join(', ')} |
`,
  );
  console.log(`results: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
