import { randomUUID } from 'node:crypto';
import { verifySchedulerInvariants } from '@suite/invariants';
import type { Pool } from 'pg';
import { call, schedulerUrl, serviceDatabase, tokenFor, until } from './support';

interface Job {
  id: string;
  status: string;
  nextFireAt: string | null;
}
interface Fire {
  scheduledAt: string;
  idempotencyKey: string;
  status: string;
}

// Jobs scheduled through the gateway with the real scheduler behind it, each fire delivered
// to the scheduler's loopback sink (which applies a key's first delivery and counts the
// rest). The verifier recomputes the schedules from the database and compares them with
// the sink: every fire applied, once, never early.
describe('scheduled jobs through the gateway', () => {
  let db: Pool;
  let token: string;
  let sink: string;

  beforeAll(async () => {
    db = serviceDatabase('scheduler');
    token = await tokenFor(`planner-${randomUUID()}`);
    // The only callback origin the stack allows: the scheduler's own sink.
    sink = `${schedulerUrl()}/sink/deliveries`;
  });

  afterAll(async () => {
    await db?.end();
  });

  const fires = async (jobId: string): Promise<Fire[]> => {
    const reply = await call<{ data: Fire[] }>('GET', `/jobs/${jobId}/fires`, { token });
    expect(reply.status).toBe(200);
    return reply.body.data;
  };

  it('fires a one-off job once and a cron job once per scheduled time, 0 violations', async () => {
    const runAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2_000).toISOString();
    const once = await call<Job>('POST', '/jobs', {
      token,
      body: { runAt, callbackUrl: sink, payload: { kind: 'once', orderId: 'A-17' } },
    });
    expect(once.status).toBe(201);
    expect(once.body).toMatchObject({ status: 'active', nextFireAt: runAt });
    const cron = await call<Job>('POST', '/jobs', {
      token,
      body: { cron: '*/2 * * * * *', callbackUrl: sink, payload: { kind: 'cron' } },
    });
    expect(cron.status).toBe(201);

    // The one-off job is done once its fire is delivered.
    const done = await until(
      'the one-off job to fire',
      async () => {
        const reply = await call<Job>('GET', `/jobs/${once.body.id}`, { token });
        return reply.body.status === 'done' ? reply.body : undefined;
      },
      20_000,
      500,
    );
    expect(done.nextFireAt).toBeNull();
    // Three fires of the cron job delivered, then cancelled through the gateway.
    await until(
      'three fires of the cron job',
      async () => {
        const delivered = (await fires(cron.body.id)).filter((f) => f.status === 'delivered');
        return delivered.length >= 3 ? delivered : undefined;
      },
      20_000,
      500,
    );
    const cancelled = await call<Job>('POST', `/jobs/${cron.body.id}/cancel`, { token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const cancelledAt = Date.now();
    // Every fire claimed before the cancellation is delivered, then no new one appears.
    const cronFires = await until(
      'the cron job to settle',
      async () => {
        const all = await fires(cron.body.id);
        return all.every((f) => f.status === 'delivered') ? all : undefined;
      },
      15_000,
      500,
    );
    const onceFires = await fires(once.body.id);
    expect(onceFires).toEqual([
      expect.objectContaining({
        scheduledAt: runAt,
        idempotencyKey: `${once.body.id}:${runAt}`,
        status: 'delivered',
      }),
    ]);

    const report = await verifySchedulerInvariants(db, {
      until: cancelledAt,
      jobIds: [once.body.id, cron.body.id],
    });
    expect(report.violations).toEqual({
      missed: 0,
      appliedTwice: 0,
      early: 0,
      unscheduled: 0,
      staleOwnerWrites: 0,
    });
    expect(report.total).toBe(0);
    // Each fire the scheduler recorded was applied at the sink, once.
    expect(report.appliedFires).toBe(1 + cronFires.length);
    expect(report.expectedFires).toBe(report.appliedFires);
    expect(cronFires.length).toBeGreaterThanOrEqual(3);
  }, 50_000);

  it('refuses a callback the scheduler does not allow, and a malformed job, through the gateway', async () => {
    const offOrigin = await call('POST', '/jobs', {
      token,
      body: {
        runAt: new Date(Date.now() + 60_000).toISOString(),
        callbackUrl: 'http://127.0.0.2:9/x',
      },
    });
    expect(offOrigin.status).toBe(422);
    expect(offOrigin.body['error']).toBe('callback_origin_not_allowed');
    const malformed = await call('POST', '/jobs', {
      token,
      body: { cron: 42, callbackUrl: sink },
    });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body['message'])).toMatch(/cron/);
    const missing = await call('GET', `/jobs/${randomUUID()}`, { token });
    expect(missing.status).toBe(404);
    const anonymous = await call('POST', '/jobs', {
      body: { cron: '* * * * *', callbackUrl: sink },
    });
    expect(anonymous.status).toBe(401);
  });
});
