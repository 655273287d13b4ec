import { verifySchedulerInvariants } from '@suite/invariants';
import {
  consumeUntil,
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  testKafka,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { startSchedulerApp, waitForSink, type SchedulerTestApp } from './testing/scheduler-harness';

// One instance that serves and fires, on its own database: the jobs API end to end, a one-off
// and a cron job delivered to the loopback sink once per fire, never early, and a cron job's
// fires on a Kafka topic.
describe('scheduler', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let s: SchedulerTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('scheduler_api', 6);
    redis = createTestRedis('scheduler-api');
    s = await startSchedulerApp(db, {
      FIRING: 'on',
      REDIS_KEY_PREFIX: redis.prefix,
      LEASE_TTL_MS: '1500',
      POLL_MS: '20',
      // The test topics' names start with "t.".
      KAFKA_TOPIC_PREFIX: 't.',
    });
  });

  afterAll(async () => {
    await s?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  const create = (payload: object) =>
    s.app.inject({ method: 'POST', url: '/jobs', headers: s.headers, payload });

  it('fires a one-off job once, at its time, and lists the fire as delivered', async () => {
    const runAt = new Date(Date.now() + 400).toISOString();
    const created = await create({ runAt, callbackUrl: s.sinkUrl, payload: { hello: 'world' } });
    expect(created.statusCode).toBe(201);
    const job = created.json<{ id: string; status: string; nextFireAt: string }>();
    expect(job).toMatchObject({ status: 'active', nextFireAt: runAt });

    expect(await waitForSink(db, 1, 5_000, [job.id])).toBe(0);
    const fires = await s.app.inject({
      method: 'GET',
      url: `/jobs/${job.id}/fires`,
      headers: s.headers,
    });
    expect(fires.json().data).toEqual([
      expect.objectContaining({
        scheduledAt: runAt,
        idempotencyKey: `${job.id}:${runAt}`,
      }),
    ]);
    const after = await s.app.inject({ method: 'GET', url: `/jobs/${job.id}`, headers: s.headers });
    expect(after.json()).toMatchObject({ status: 'done', nextFireAt: null });
    const report = await verifySchedulerInvariants(db.pool, {
      until: Date.now(),
      jobIds: [job.id],
    });
    expect(report).toMatchObject({ expectedFires: 1, appliedFires: 1, total: 0 });
  });

  it('fires a cron job every second until it is cancelled', async () => {
    const created = await create({ cron: '* * * * * *', callbackUrl: s.sinkUrl });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect(await waitForSink(db, 3, 6_000, [id])).toBe(0);
    const cancelled = await s.app.inject({
      method: 'POST',
      url: `/jobs/${id}/cancel`,
      headers: s.headers,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', nextFireAt: null });
    const report = await verifySchedulerInvariants(db.pool, { until: Date.now(), jobIds: [id] });
    expect(report.appliedFires).toBeGreaterThanOrEqual(3);
    expect(report.violations).toEqual({
      missed: 0,
      appliedTwice: 0,
      early: 0,
      unscheduled: 0,
      staleOwnerWrites: 0,
    });
    // Cancelling again answers the cancelled job; an unknown job is a 404.
    expect(
      (await s.app.inject({ method: 'POST', url: `/jobs/${id}/cancel`, headers: s.headers }))
        .statusCode,
    ).toBe(200);
    const unknown = await s.app.inject({
      method: 'GET',
      url: '/jobs/9b2f0c1e-0000-4000-8000-000000000000',
      headers: s.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('publishes a cron job’s fires on its Kafka topic, each with the fire’s key', async () => {
    const kafka = testKafka('scheduler-kafka-target');
    const topic = await createTestTopic(kafka, 'scheduler kafka');
    const created = await create({ cron: '* * * * * *', topic, payload: { to: 'kafka' } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const seen = await consumeUntil(kafka, topic, {
      groupId: `${topic}.reader`,
      decode: (value) =>
        JSON.parse(value.toString()) as {
          idempotencyKey: string;
          jobId: string;
          scheduledAt: string;
          payload: unknown;
        },
      until: (messages) => messages.length >= 2,
      timeoutMs: 10_000,
    });
    await s.app.inject({ method: 'POST', url: `/jobs/${id}/cancel`, headers: s.headers });
    for (const message of seen) {
      expect(message).toEqual({
        idempotencyKey: `${id}:${message.scheduledAt}`,
        jobId: id,
        scheduledAt: expect.stringMatching(/:\d{2}\.000Z$/),
        payload: { to: 'kafka' },
      });
    }
  });

  it('answers a job that cannot be made with a 422 that says why', async () => {
    const cases: [object, string][] = [
      [{ callbackUrl: s.sinkUrl }, 'give runAt (a one-off job) or cron (a recurring one)'],
      [{ cron: 'every minute', callbackUrl: s.sinkUrl }, 'cron is not a cron expression'],
      [{ cron: '* * * * *', runAt: new Date().toISOString(), callbackUrl: s.sinkUrl }, 'not both'],
      [{ cron: '* * * * *' }, 'give callbackUrl or topic'],
      [{ runAt: '2020-01-01T00:00:00Z', callbackUrl: s.sinkUrl }, 'runAt is in the past'],
      [{ cron: '* * * * *', callbackUrl: 'http://127.0.0.2:9/hook' }, 'configured callback origin'],
      [{ cron: '* * * * *', topic: 'payments.commands' }, 'topic must start with'],
    ];
    for (const [payload, message] of cases) {
      const response = await create(payload);
      expect({ status: response.statusCode, message: response.json().message }).toEqual({
        status: 422,
        message: expect.stringContaining(message),
      });
    }
  });

  it('answers malformed input with a 400 and no token with a 401', async () => {
    const bad = await create({ runAt: 'tomorrow', callbackUrl: s.sinkUrl });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toEqual(expect.arrayContaining([expect.stringContaining('runAt')]));
    // Postgres's jsonb cannot hold a NUL: the chassis refuses it before it gets there.
    const nul = await create({
      cron: '* * * * *',
      callbackUrl: s.sinkUrl,
      payload: { a: 'x\u0000' },
    });
    expect(nul.statusCode).toBe(400);
    const badId = await s.app.inject({
      method: 'GET',
      url: '/jobs/not-a-uuid',
      headers: s.headers,
    });
    expect(badId.statusCode).toBe(400);
    const anonymous = await s.app.inject({ method: 'POST', url: '/jobs', payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });
});
