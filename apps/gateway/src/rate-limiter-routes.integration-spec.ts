import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { answerJson, StubUpstream } from './testing/stub-upstream';

// The rate limiter's check and usage APIs through the gateway, against a stub service.
describe('gateway rate-limiter routes', () => {
  const rateLimiter = new StubUpstream();
  let gatewayUnderTest: GatewayUnderTest;
  let gateway: GatewayUnderTest['app'];
  let authorization: string;

  beforeAll(async () => {
    gatewayUnderTest = await startGatewayUnderTest({
      name: 'gateway-rate-limiter-routes',
      upstreams: { 'rate-limiter': rateLimiter },
    });
    gateway = gatewayUnderTest.app;
    authorization = await gatewayUnderTest.bearer('svc-1');
  });

  afterAll(() => gatewayUnderTest?.close());

  beforeEach(() => rateLimiter.reset());

  const check = { domain: 'api', descriptors: [{ user: '42' }, { route: 'POST /holds' }], cost: 1 };

  it("reaches the service's POST /check with the caller's identity and passes a denial through", async () => {
    const denial = {
      allowed: false,
      policy: 'api.per-user',
      remaining: 0,
      resetMs: 12_000,
      retryAfterMs: 12_000,
      source: 'redis',
      reason: 'over limit (100 per 60000 ms)',
      nowMs: 1,
      policiesHash: 'abc',
      results: [],
      headers: { 'RateLimit-Policy': '"api.per-user";q=100;w=60', 'Retry-After': '12' },
    };
    rateLimiter.handler = (_request, response) => {
      response.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': '12',
        ratelimit: '"api.per-user";r=0;t=12',
      });
      response.end(JSON.stringify(denial));
    };
    const response = await gateway.inject({
      method: 'POST',
      url: '/rate-limits/check',
      headers: { authorization, 'x-request-id': 'check-1' },
      payload: check,
    });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual(denial);
    expect(response.headers['retry-after']).toBe('12');
    // The RateLimit headers are the gateway's own limit on this route; the decision's are
    // in the body.
    expect(response.headers['ratelimit']).toMatch(/^"gateway\.per-user";r=\d+;t=\d+$/);

    const seen = rateLimiter.requests[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/check');
    expect(seen?.headers['x-user-id']).toBe('svc-1');
    expect(seen?.headers['x-request-id']).toBe('check-1');
    expect(JSON.parse(seen?.body ?? '')).toEqual(check);
  });

  it("reaches the service's GET /usage with the query unchanged", async () => {
    rateLimiter.handler = answerJson(200, { domain: 'api', policiesHash: 'abc', usage: [] });
    const url = '/rate-limits/usage?domain=api&descriptor=user:42&descriptor=route:POST%20/holds';
    const response = await gateway.inject({ method: 'GET', url, headers: { authorization } });
    expect(response.statusCode).toBe(200);
    expect(rateLimiter.requests[0]?.url).toBe(
      '/usage?domain=api&descriptor=user:42&descriptor=route:POST%20/holds',
    );
  });

  it("passes the service's 400 for a malformed check through", async () => {
    const invalid = {
      statusCode: 400,
      error: 'unknown_domain',
      message: 'domain "x" has no policies',
    };
    rateLimiter.handler = answerJson(400, invalid);
    const response = await gateway.inject({
      method: 'POST',
      url: '/rate-limits/check',
      headers: { authorization },
      payload: { ...check, domain: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(invalid);
  });

  it('requires a token', async () => {
    const response = await gateway.inject({
      method: 'POST',
      url: '/rate-limits/check',
      payload: check,
    });
    expect(response.statusCode).toBe(401);
    expect(rateLimiter.requests).toHaveLength(0);
  });

  it("refuses the gateway's own domain, so no client can spend or read another user's gateway limits", async () => {
    const spend = await gateway.inject({
      method: 'POST',
      url: '/rate-limits/check',
      headers: { authorization },
      payload: { domain: 'gateway', descriptors: [{ user: 'victim' }], cost: 120 },
    });
    expect(spend.statusCode).toBe(403);
    expect(spend.json().message).toMatch(/^domain "gateway" holds the gateway's own limits/);
    const read = await gateway.inject({
      method: 'GET',
      url: '/rate-limits/usage?domain=gateway&descriptor=user:victim',
      headers: { authorization },
    });
    expect(read.statusCode).toBe(403);
    expect(rateLimiter.requests).toHaveLength(0);
  });

  it('does not publish the admin routes', async () => {
    for (const [method, url] of [
      ['GET', '/rate-limits/admin/policies'],
      ['POST', '/rate-limits/admin/policies/reload'],
      ['GET', '/admin/policies'],
      ['POST', '/admin/policies/reload'],
      ['POST', '/check'],
    ] as const) {
      const response = await gateway.inject({ method, url, headers: { authorization } });
      expect(response.statusCode).toBe(404);
    }
    expect(rateLimiter.requests).toHaveLength(0);
  });
});
