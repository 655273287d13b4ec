import { verifySchedulerInvariants } from '@suite/invariants';
import { killAndWait, nextMessage, type TestDatabase } from '@suite/testing';
import type { InstanceMessage } from './testing/instance.worker';
import {
  type Instance,
  type SchedulerTestApp,
  startSchedulerStack,
  type SchedulerStack,
} from './testing/scheduler-harness';

// An instance delivers a fire and is stopped (SIGSTOP) before it records the delivery, for
// longer than its lease. The other instance takes the partition over and delivers the fire
// again under the same key. When the paused one resumes (SIGCONT), its late write is refused
// by the partition's fence; the sink applied the fire once. Without the fence, the same late
// write gets through, and the verifier counts it.
describe('an instance paused past its lease', () => {
  const LEASE_MS = 1_200;
  const PARTITIONS = 4;
  let stack: SchedulerStack;
  let db: TestDatabase;
  let s: SchedulerTestApp;

  beforeAll(async () => {
    stack = await startSchedulerStack('pause', PARTITIONS);
    ({ db, api: s } = stack);
  });

  afterAll(() => stack?.close());

  const run = async (fenced: boolean, group: string) => {
    const pair: Instance[] = [];
    for (const name of ['a', 'b']) {
      const instance = await stack.spawn({
        // Each run its own membership and claims; the fences in Postgres stay.
        keyPrefix: `${stack.redis.prefix}${group}:`,
        memberId: `${group}-${name}`,
        leaseMs: LEASE_MS,
        pollMs: 20,
        mode: 'assigned',
        holdMs: 500,
        fenced,
      });
      pair.push(instance);
    }
    const created = await s.app.inject({
      method: 'POST',
      url: '/jobs',
      headers: s.headers,
      payload: {
        runAt: new Date(Date.now() + 500).toISOString(),
        callbackUrl: s.sinkUrl,
        payload: { holdBeforeRecording: true },
      },
    });
    expect(created.statusCode).toBe(201);
    const job = created.json<{ id: string }>();
    // Whichever owns the job's partition reports that it delivered and is about to record.
    const reported = await Promise.race(
      pair.map((i) =>
        nextMessage<InstanceMessage>(i.child, (m) => m.recording !== undefined, 10_000).then(
          (m) => ({ i, m }),
        ),
      ),
    );
    const paused = reported.i;
    const other = pair.find((i) => i !== paused) as Instance;
    paused.child.kill('SIGSTOP');
    // Past the lease: the other instance claims the partition and delivers the fire again.
    const deadline = Date.now() + 10_000;
    let deliveries = 0;
    while (deliveries < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await db.pool.query<{ deliveries: number }>(
        `select deliveries from sink_deliveries where job_id = $1`,
        [job.id],
      );
      deliveries = rows[0]?.deliveries ?? 0;
    }
    // And until the new owner has recorded it, so the paused one's write would come last.
    while (Date.now() < deadline) {
      const { rows } = await db.pool.query<{ status: string }>(
        `select status from fires where job_id = $1`,
        [job.id],
      );
      if (rows[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const fencedOut = nextMessage<InstanceMessage>(
      paused.child,
      (m) => m.fencedOut !== undefined,
      5_000,
    ).catch(() => undefined);
    paused.child.kill('SIGCONT');
    const refused = await fencedOut;
    // Let the resumed instance's write land (or be refused) before counting.
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all(pair.map((i) => killAndWait(i.child)));
    const report = await verifySchedulerInvariants(db.pool, {
      until: Date.now(),
      jobIds: [job.id],
    });
    const { rows } = await db.pool.query<{ n: number; deliveries: number }>(
      `select count(*)::int as n, sum(deliveries)::int as deliveries from sink_deliveries
        where job_id = $1`,
      [job.id],
    );
    return { deliveries, refused, report, sink: rows[0], other };
  };

  it('refuses the paused instance’s late write; the fire was applied once', async () => {
    const { deliveries, refused, report, sink } = await run(true, 'fenced');
    console.log(
      `paused past the lease (fenced): ${deliveries} deliveries of one fire, ` +
        `late write ${refused?.fencedOut ? `refused at ${refused.fencedOut.step}` : 'not refused'}; ` +
        `violations ${JSON.stringify(report.violations)}`,
    );
    expect(deliveries).toBe(2);
    expect(refused?.fencedOut).toMatchObject({ step: 'record', fires: 1 });
    expect(sink).toEqual({ n: 1, deliveries: 2 });
    expect(report).toMatchObject({ expectedFires: 1, appliedFires: 1, total: 0 });
  }, 40_000);

  it('without the fence, the late write gets through and the verifier counts it', async () => {
    const { deliveries, refused, report } = await run(false, 'unfenced');
    console.log(
      `paused past the lease (no fence): ${deliveries} deliveries; ` +
        `violations ${JSON.stringify(report.violations)}`,
    );
    expect(deliveries).toBe(2);
    expect(refused).toBeUndefined();
    expect(report.violations.staleOwnerWrites).toBeGreaterThan(0);
  }, 40_000);
});
