import { verifySchedulerInvariants } from '@suite/invariants';
import {
  createTestDatabase,
  createTestRedis,
  killAndWait,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import {
  insertOneOffJobs,
  percentile,
  sinkLags,
  spawnInstance,
  startSchedulerApp,
  waitForSink,
  type Instance,
  type SchedulerTestApp,
} from './testing/scheduler-harness';

// 10,000 one-off jobs all due at the same second, two instances: every one reaches the sink
// once, none early, and the lag of the last is what the burst costs.
describe('a burst of 10,000 jobs due at one second', () => {
  const PARTITIONS = 64;
  const JOBS = 10_000;
  let db: TestDatabase;
  let redis: TestRedis;
  let s: SchedulerTestApp;
  const instances: Instance[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('scheduler_burst', 6);
    redis = createTestRedis('scheduler-burst');
    s = await startSchedulerApp(db, { SCHEDULER_PARTITIONS: String(PARTITIONS) });
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => killAndWait(i.child)));
    await s?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it('delivers every fire once, none early', async () => {
    for (const memberId of ['burst-a', 'burst-b']) {
      instances.push(
        await spawnInstance({
          databaseUrl: db.url,
          keyPrefix: redis.prefix,
          memberId,
          partitions: PARTITIONS,
          leaseMs: 3_000,
          pollMs: 20,
          mode: 'assigned',
        }),
      );
    }
    const runAt = Math.ceil((Date.now() + 3_000) / 1_000) * 1_000;
    await insertOneOffJobs(db, {
      count: JOBS,
      runAt,
      partitions: PARTITIONS,
      callbackUrl: s.sinkUrl,
    });
    const missing = await waitForSink(db, JOBS, 45_000);
    const drainedMs = Date.now() - runAt;
    const lags = await sinkLags(db);
    const report = await verifySchedulerInvariants(db.pool, { until: runAt });
    console.log(
      `burst: ${JOBS} jobs due at one second, 2 instances: all applied ${drainedMs} ms after; ` +
        `lag p50 ${Math.round(percentile(lags, 50))} ms, p99 ${Math.round(percentile(lags, 99))} ms; ` +
        `violations ${JSON.stringify(report.violations)}`,
    );
    expect(missing).toBe(0);
    expect(report).toMatchObject({ expectedFires: JOBS, appliedFires: JOBS, total: 0 });
  }, 90_000);
});
