import { verifySchedulerInvariants } from '@suite/invariants';
import { type TestDatabase } from '@suite/testing';
import {
  insertOneOffJobs,
  percentile,
  sinkLags,
  waitForSink,
  type SchedulerTestApp,
  startSchedulerStack,
  type SchedulerStack,
} from './testing/scheduler-harness';

// 10,000 one-off jobs all due at the same second, two instances: every one reaches the sink
// once, none early, and the lag of the last is what the burst costs.
describe('a burst of 10,000 jobs due at one second', () => {
  const PARTITIONS = 64;
  const JOBS = 10_000;
  let stack: SchedulerStack;
  let db: TestDatabase;
  let s: SchedulerTestApp;

  beforeAll(async () => {
    stack = await startSchedulerStack('burst', PARTITIONS, 6);
    ({ db, api: s } = stack);
  });

  afterAll(() => stack?.close());

  it('delivers every fire once, none early', async () => {
    for (const memberId of ['burst-a', 'burst-b']) {
      await stack.spawn({
        memberId,
        leaseMs: 3_000,
        pollMs: 20,
        mode: 'assigned',
      });
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
