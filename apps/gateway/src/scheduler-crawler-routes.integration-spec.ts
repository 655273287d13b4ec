import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { answerJson, StubUpstream } from './testing/stub-upstream';

const JOB_ID = '0b6f2a52-3c1e-4d7a-9a43-5d9c1f3e8b21';
const CRAWL_ID = '7c1d9e04-5b2a-4f6e-8d13-2a9b4c6e0f57';

// The scheduler's and the crawler's routes through the gateway, against stub services on
// real sockets and the real Redis, with the built-in rate-limit policies.
describe('gateway scheduler and crawler routes', () => {
  const scheduler = new StubUpstream();
  const crawler = new StubUpstream();
  let gatewayUnderTest: GatewayUnderTest;
  let gateway: GatewayUnderTest['app'];

  beforeAll(async () => {
    gatewayUnderTest = await startGatewayUnderTest({
      name: 'gateway-scheduler-crawler',
      upstreams: { scheduler, crawler },
      env: {
        BREAKER_VOLUME_THRESHOLD: '3',
        BREAKER_ERROR_PERCENT: '50',
        BREAKER_RESET_MS: '60000',
      },
    });
    gateway = gatewayUnderTest.app;
  });

  afterAll(() => gatewayUnderTest?.close());

  beforeEach(() => {
    scheduler.reset();
    crawler.reset();
  });

  const bearer = (userId: string, scopes: string[] = []) => gatewayUnderTest.bearer(userId, scopes);

  it('forwards a new job with the verified caller and its body, under the create-job limit', async () => {
    const authorization = await bearer('planner-1');
    const job = { id: JOB_ID, status: 'active', nextFireAt: '2030-01-01T10:00:00.000Z' };
    scheduler.handler = answerJson(201, job);
    const body = {
      runAt: '2030-01-01T10:00:00Z',
      callbackUrl: 'http://127.0.0.1:3006/sink/deliveries',
      payload: { orderId: 'A-17', attempt: 1 },
    };
    const response = await gateway.inject({
      method: 'POST',
      url: '/jobs',
      headers: { authorization, 'x-request-id': 'job-req-1', 'x-user-id': 'someone-else' },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(job);
    expect(response.headers['x-request-id']).toBe('job-req-1');
    expect(response.headers['ratelimit-policy']).toBe(
      '"gateway.create-job";q=30;w=60, "gateway.per-user";q=120;w=60',
    );
    const seen = scheduler.requests[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/jobs');
    expect(seen?.headers['x-user-id']).toBe('planner-1');
    expect(seen?.headers['authorization']).toBe(authorization);
    expect(JSON.parse(seen?.body ?? '')).toEqual(body);
    expect(crawler.requests).toHaveLength(0);
  });

  it('forwards the reads and the cancellation of a job on the same paths, query included', async () => {
    const authorization = await bearer('planner-2');
    scheduler.handler = answerJson(200, { data: [] });
    const calls = [
      { method: 'GET', url: `/jobs/${JOB_ID}` },
      { method: 'GET', url: `/jobs/${JOB_ID}/fires?limit=5` },
      { method: 'POST', url: `/jobs/${JOB_ID}/cancel` },
    ] as const;
    for (const call of calls) {
      const response = await gateway.inject({ ...call, headers: { authorization } });
      expect(response.statusCode).toBe(200);
    }
    expect(scheduler.requests.map((r) => `${r.method} ${r.url}`)).toEqual(
      calls.map((c) => `${c.method} ${c.url}`),
    );
  });

  it("passes the scheduler's refusals through as it wrote them", async () => {
    const refusal = {
      statusCode: 422,
      error: 'invalid_job',
      message: 'give runAt or cron, not both',
      problem: 'schedule-ambiguous',
    };
    scheduler.handler = answerJson(422, refusal);
    const response = await gateway.inject({
      method: 'POST',
      url: '/jobs',
      headers: { authorization: await bearer('planner-3') },
      payload: { runAt: '2030-01-01T10:00:00Z', cron: '* * * * *', topic: 'suite.jobs' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual(refusal);
  });

  it('forwards a crawl start and read with the operator token; the crawler judges the scope', async () => {
    const authorization = await bearer('operator-1', ['ops:admin']);
    const crawl = { id: CRAWL_ID, status: 'running', seeds: ['http://site-0.web.test/'] };
    crawler.handler = answerJson(201, crawl);
    const started = await gateway.inject({
      method: 'POST',
      url: '/crawls',
      headers: { authorization },
      payload: { seeds: ['http://site-0.web.test/'], minIntervalMs: 50 },
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toEqual(crawl);
    expect(started.headers['ratelimit-policy']).toBe(
      '"gateway.start-crawl";q=5;w=60, "gateway.per-user";q=120;w=60',
    );
    expect(crawler.requests[0]?.headers['x-user-scopes']).toBe('ops:admin');
    expect(crawler.requests[0]?.headers['authorization']).toBe(authorization);

    // The crawler's own path parameter is :id; the gateway's :crawlId maps onto it.
    crawler.handler = answerJson(403, {
      statusCode: 403,
      error: 'Forbidden',
      message: 'missing scope ops:admin',
    });
    const shopper = await gateway.inject({
      method: 'GET',
      url: `/crawls/${CRAWL_ID}`,
      headers: { authorization: await bearer('shopper-1') },
    });
    expect(shopper.statusCode).toBe(403);
    expect(shopper.json().message).toBe('missing scope ops:admin');
    expect(crawler.requests[1]?.url).toBe(`/crawls/${CRAWL_ID}`);
  });

  it('requires a token on every route, and calls no service without one', async () => {
    const routes = [
      ['POST', '/jobs'],
      ['GET', `/jobs/${JOB_ID}`],
      ['GET', `/jobs/${JOB_ID}/fires`],
      ['POST', `/jobs/${JOB_ID}/cancel`],
      ['POST', '/crawls'],
      ['GET', `/crawls/${CRAWL_ID}`],
    ] as const;
    for (const [method, url] of routes) {
      const response = await gateway.inject({ method, url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    const forged = await gateway.inject({
      method: 'GET',
      url: `/jobs/${JOB_ID}`,
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.statusCode).toBe(401);
    expect(scheduler.requests).toHaveLength(0);
    expect(crawler.requests).toHaveLength(0);
  });

  it('answers bad input with a clear 400 itself, before any service is called', async () => {
    const authorization = await bearer('planner-4', ['ops:admin']);
    const expect400 = (response: { statusCode: number; json(): unknown }, message: string) =>
      expect({ status: response.statusCode, body: response.json() }).toEqual({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message },
      });
    expect400(
      await gateway.inject({
        method: 'POST',
        url: '/jobs',
        headers: { authorization },
        payload: { cron: '* * * * *', topic: 'suite.jobs', payload: { note: 'a\u0000b' } },
      }),
      'payload.note must not contain control characters',
    );
    expect400(
      await gateway.inject({
        method: 'GET',
        url: `/jobs/${JOB_ID}/fires?limit=5%07`,
        headers: { authorization },
      }),
      'query parameter limit must not contain control characters',
    );
    expect400(
      await gateway.inject({
        method: 'POST',
        url: '/jobs/a%1fb/cancel',
        headers: { authorization },
      }),
      'path parameter jobId must not contain control characters',
    );
    expect400(
      await gateway.inject({
        method: 'POST',
        url: '/crawls',
        headers: { authorization, 'content-type': 'application/json' },
        payload: '{"seeds":' + '['.repeat(40) + ']'.repeat(40) + ',"minIntervalMs":50}',
      }),
      'JSON nesting deeper than 32',
    );
    expect(scheduler.requests).toHaveLength(0);
    expect(crawler.requests).toHaveLength(0);
  });

  it("relays a failing scheduler's 503 without its internals", async () => {
    scheduler.handler = answerJson(503, {
      statusCode: 503,
      message: 'connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap (node:net:1555:16)',
    });
    const response = await gateway.inject({
      method: 'GET',
      url: `/jobs/${JOB_ID}`,
      headers: { authorization: await bearer('planner-5') },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'scheduler could not handle the request',
    });
  });

  it('answers 502 while the crawler is down, then 503 without trying once its circuit opens', async () => {
    await crawler.stop();
    const authorization = await bearer('operator-2', ['ops:admin']);
    const read = () =>
      gateway.inject({ method: 'GET', url: `/crawls/${CRAWL_ID}`, headers: { authorization } });
    let response = await read();
    let unreachable = 0;
    while (response.statusCode === 502 && unreachable < 12) {
      expect(response.json().message).toBe('crawler could not be reached');
      unreachable += 1;
      response = await read();
    }
    expect(unreachable).toBeGreaterThanOrEqual(1);
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toMatch(/^crawler is unavailable: its circuit is open/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The scheduler's circuit is its own: a crawler outage does not close the job routes.
    scheduler.handler = answerJson(200, { id: JOB_ID });
    const job = await gateway.inject({
      method: 'GET',
      url: `/jobs/${JOB_ID}`,
      headers: { authorization },
    });
    expect(job.statusCode).toBe(200);
  });
});
