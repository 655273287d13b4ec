import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import {
  createTestDatabase,
  createTestRedis,
  forkTs,
  freePort,
  integrationEndpoints,
  killAndWait,
  nextMessage,
  TestTokens,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { partitionOf } from '@suite/coordination';
import { AppModule } from '../app.module';
import { schedulerConfigSchema } from '../config/scheduler.config';
import type { InstanceArgs, InstanceMessage } from './instance.worker';

export interface SchedulerTestApp {
  app: NestFastifyApplication;
  // http://127.0.0.1:<port>: the API and the loopback sink.
  origin: string;
  sinkUrl: string;
  headers: { authorization: string };
  close(): Promise<void>;
}

// The scheduler in this process, listening on a free loopback port, on a test's own database.
// By default it only serves (FIRING=off): the instances that fire run in their own processes.
export async function startSchedulerApp(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<SchedulerTestApp> {
  const tokens = new TestTokens();
  const endpoints = integrationEndpoints();
  const build = (origins: string) =>
    loadConfig(
      schedulerConfigSchema,
      {
        DATABASE_URL: db.url,
        REDIS_URL: endpoints.redisUrl,
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        JWT_PUBLIC_KEY: tokens.publicKeyPem,
        LOG_LEVEL: 'fatal',
        FIRING: 'off',
        CALLBACK_ORIGINS: origins,
        ...env,
      },
      'scheduler',
    );
  // The port is known only once it listens, and callbacks must name it: reserve one first.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = await initServiceApp(AppModule.register(build(origin)), { logLevel: 'fatal' });
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    origin,
    sinkUrl: `${origin}/sink/deliveries`,
    headers: await tokens.bearer('scheduler-test'),
    close: () => app.close(),
  };
}

export interface Instance {
  child: ChildProcess;
  memberId: string;
  inbox: InstanceMessage[];
}

// One firing instance in its own process (testing/instance.worker.ts), ready once it has
// joined the group and made its first claims.
export async function spawnInstance(args: Omit<InstanceArgs, 'redisUrl'>): Promise<Instance> {
  const child = forkTs(join(__dirname, 'instance.worker.ts'), [
    JSON.stringify({ ...args, redisUrl: integrationEndpoints().redisUrl }),
  ]);
  const inbox: InstanceMessage[] = [];
  child.on('message', (m: InstanceMessage) => inbox.push(m));
  await nextMessage<InstanceMessage>(child, (m) => m.ready === args.memberId, 30_000);
  return { child, memberId: args.memberId, inbox };
}

// What a multi-process test runs on: its own database and Redis prefix, the API in this
// process, and the firing instances it spawns, all ended by close().
export interface SchedulerStack {
  db: TestDatabase;
  redis: TestRedis;
  api: SchedulerTestApp;
  instances: Instance[];
  // An instance on this stack's database, prefix (unless given) and partition count.
  spawn(
    args: Omit<InstanceArgs, 'redisUrl' | 'databaseUrl' | 'partitions' | 'keyPrefix'> & {
      keyPrefix?: string;
    },
  ): Promise<Instance>;
  close(): Promise<void>;
}

export async function startSchedulerStack(
  name: string,
  partitions: number,
  poolSize = 4,
): Promise<SchedulerStack> {
  const db = await createTestDatabase(`scheduler_${name}`, poolSize);
  const redis = createTestRedis(`scheduler-${name}`);
  const api = await startSchedulerApp(db, { SCHEDULER_PARTITIONS: String(partitions) });
  const instances: Instance[] = [];
  return {
    db,
    redis,
    api,
    instances,
    spawn: async (args) => {
      const instance = await spawnInstance({
        databaseUrl: db.url,
        keyPrefix: redis.prefix,
        partitions,
        ...args,
      });
      instances.push(instance);
      return instance;
    },
    close: async () => {
      // A test may end with an instance still stopped (SIGSTOP): wake it so that it can die.
      for (const i of instances) i.child.kill('SIGCONT');
      await Promise.all(instances.map((i) => killAndWait(i.child)));
      await api.close();
      await redis.cleanup();
      await db.drop();
    },
  };
}

// Inserts `count` one-off jobs due at `runAt` straight into the table (the API would take
// longer than the test), each on its partition, with the sink as target.
export async function insertOneOffJobs(
  db: TestDatabase,
  options: { count: number; runAt: number; partitions: number; callbackUrl: string },
): Promise<string[]> {
  const ids = Array.from({ length: options.count }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 2_000) {
    const slice = ids.slice(i, i + 2_000);
    await db.pool.query(
      `insert into jobs (id, partition, schedule_kind, run_at, target_kind, target, payload,
                         next_fire_at, first_fire_at)
       select id, p, 'once', to_timestamp($3::float8 / 1000), 'http', $4, '{}'::jsonb,
              to_timestamp($3::float8 / 1000), to_timestamp($3::float8 / 1000)
         from unnest($1::uuid[], $2::int[]) as t(id, p)`,
      [
        slice,
        slice.map((id) => partitionOf(id, options.partitions)),
        options.runAt,
        options.callbackUrl,
      ],
    );
  }
  return ids;
}

// Waits until every fire of these jobs scheduled up to `until` has reached the sink, or the
// timeout; returns how many are still missing.
export async function waitForSink(
  db: TestDatabase,
  expected: number,
  timeoutMs: number,
  jobIds?: readonly string[],
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(distinct (job_id, scheduled_at))::int as n from sink_deliveries
        where ($1::text[] is null or job_id = any($1::text[]))`,
      [jobIds ? [...jobIds] : null],
    );
    const missing = expected - Number(rows[0]?.n ?? 0);
    if (missing <= 0 || Date.now() > deadline) return Math.max(0, missing);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Lag of each applied fire: the sink's first receipt minus the scheduled time, in ms, sorted.
export async function sinkLags(db: TestDatabase): Promise<number[]> {
  const { rows } = await db.pool.query<{ lag: number }>(
    `select (extract(epoch from first_at - scheduled_at) * 1000)::float8 as lag
       from sink_deliveries order by 1`,
  );
  return rows.map((r) => Number(r.lag));
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
