import { verifySchedulerInvariants } from '@suite/invariants';
import { killAndWait, type TestDatabase } from '@suite/testing';
import {
  type Instance,
  type SchedulerTestApp,
  startSchedulerStack,
  type SchedulerStack,
} from './testing/scheduler-harness';

// Two instances in two processes share cron jobs that fire every second. One is killed with
// SIGKILL; its partitions move to the other within the lease, and the fires due meanwhile are
// delivered late, not lost: the verifier counts none missed, twice or early.
describe('an instance killed mid-schedule', () => {
  const LEASE_MS = 1_500;
  const PARTITIONS = 8;
  let stack: SchedulerStack;
  let db: TestDatabase;
  let s: SchedulerTestApp;

  beforeAll(async () => {
    stack = await startSchedulerStack('kill', PARTITIONS);
    ({ db, api: s } = stack);
  });

  afterAll(() => stack?.close());

  it('delivers the dead instance’s fires from the survivor, late but not lost', async () => {
    for (const memberId of ['a', 'b']) {
      await stack.spawn({
        memberId,
        leaseMs: LEASE_MS,
        pollMs: 20,
        mode: 'assigned',
      });
    }
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const created = await s.app.inject({
        method: 'POST',
        url: '/jobs',
        headers: s.headers,
        payload: { cron: '* * * * * *', callbackUrl: s.sinkUrl, payload: { i } },
      });
      expect(created.statusCode).toBe(201);
      ids.push(created.json<{ id: string }>().id);
    }
    await new Promise((r) => setTimeout(r, 2_500));
    const [victim, survivor] = stack.instances as [Instance, Instance];
    const victimPartitions = new Set(
      [...victim.inbox].reverse().find((m) => m.owned !== undefined)?.owned ?? [],
    );
    expect(victimPartitions.size).toBeGreaterThan(0);
    const killedAt = Date.now();
    await killAndWait(victim.child);
    await new Promise((r) => setTimeout(r, 4_000));

    // Everything due up to a second ago must have arrived; allow the last deliveries a moment.
    const until = Date.now() - 1_000;
    let report = await verifySchedulerInvariants(db.pool, { until, jobIds: ids });
    for (let i = 0; i < 20 && report.violations.missed > 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      report = await verifySchedulerInvariants(db.pool, { until, jobIds: ids });
    }
    const { rows } = await db.pool.query<{ lag: number; partition: number }>(
      `select (extract(epoch from d.first_at - d.scheduled_at) * 1000)::float8 as lag, j.partition
         from sink_deliveries d join jobs j on j.id::text = d.job_id
        where d.scheduled_at > to_timestamp($1::float8 / 1000)`,
      [killedAt],
    );
    const lateOfVictim = rows.filter((r) => victimPartitions.has(r.partition)).map((r) => r.lag);
    const worst = Math.max(...lateOfVictim);
    console.log(
      `instance killed: ${report.appliedFires} fires applied, ${report.expectedFires} expected; ` +
        `the dead instance's partitions' worst lag ${Math.round(worst)} ms (lease ${LEASE_MS} ms); ` +
        `violations ${JSON.stringify(report.violations)}`,
    );
    expect(report.expectedFires).toBeGreaterThan(16 * 4);
    expect(report.violations).toEqual({
      missed: 0,
      appliedTwice: 0,
      early: 0,
      unscheduled: 0,
      staleOwnerWrites: 0,
    });
    // Taken over within the lease plus a heartbeat and a margin for a busy machine.
    expect(lateOfVictim.length).toBeGreaterThan(0);
    expect(worst).toBeLessThan(LEASE_MS + 1_500);
    // The survivor owns every partition now.
    const last = [...survivor.inbox].reverse().find((m) => m.owned !== undefined)?.owned;
    expect(last).toHaveLength(PARTITIONS);
  }, 40_000);
});
