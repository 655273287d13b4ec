import { verifySchedulerInvariants } from '@suite/invariants';
import { type TestDatabase } from '@suite/testing';
import {
  insertOneOffJobs,
  waitForSink,
  type SchedulerTestApp,
  startSchedulerStack,
  type SchedulerStack,
} from './testing/scheduler-harness';

// The verifiers must be able to fail. Two instances of the naive scheduler (every instance
// fires every due job, no fire record, a fresh key per delivery) apply fires twice; a fire
// taken out of the sink is counted missed, and one applied before its time early.
describe('the scheduler verifiers catch what they look for', () => {
  const PARTITIONS = 8;
  let stack: SchedulerStack;
  let db: TestDatabase;
  let s: SchedulerTestApp;

  beforeAll(async () => {
    stack = await startSchedulerStack('naive', PARTITIONS);
    ({ db, api: s } = stack);
  });

  afterAll(() => stack?.close());

  it('counts fires applied twice when every instance fires every due job', async () => {
    for (const memberId of ['naive-a', 'naive-b']) {
      await stack.spawn({
        memberId,
        leaseMs: 1_500,
        pollMs: 20,
        mode: 'naive',
      });
    }
    const runAt = Date.now() + 1_000;
    const ids = await insertOneOffJobs(db, {
      count: 200,
      runAt,
      partitions: PARTITIONS,
      callbackUrl: s.sinkUrl,
    });
    expect(await waitForSink(db, 200, 10_000, ids)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const report = await verifySchedulerInvariants(db.pool, { until: Date.now(), jobIds: ids });
    console.log(
      `naive scheduler, 2 instances, 200 jobs: violations ${JSON.stringify(report.violations)}`,
    );
    expect(report.violations.appliedTwice).toBeGreaterThan(0);
  }, 30_000);

  it('counts a fire that never reached the sink as missed and one applied early as early', async () => {
    const runAt = Date.now() + 60_000;
    const [missing, hurried] = await insertOneOffJobs(db, {
      count: 2,
      runAt,
      partitions: PARTITIONS,
      callbackUrl: s.sinkUrl,
    });
    // The second one reached the sink a minute before its time.
    await db.pool.query(
      `insert into sink_deliveries (idempotency_key, job_id, scheduled_at)
       values ($1, $1, to_timestamp($2::float8 / 1000))`,
      [hurried, runAt],
    );
    const report = await verifySchedulerInvariants(db.pool, {
      until: runAt,
      jobIds: [missing as string, hurried as string],
    });
    expect(report.violations).toMatchObject({ missed: 1, early: 1 });
  });
});
