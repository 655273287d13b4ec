import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DevTokenSigner, generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { gatewayConfigSchema, type GatewayConfig } from './config/gateway.config';
import { initGatewayApp } from './gateway.app';
import { slidingLog, TestPolicyFile } from './testing/policy-file';
import { answerJson, StubUpstream } from './testing/stub-upstream';

// Authentication, identity forwarding, Idempotency-Key enforcement, sanitised 5xx and a
// rate limit shared by two gateway instances, against stub services and the real Redis.
describe('gateway edge', () => {
  const keys = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
  });
  const ticketing = new StubUpstream();
  const payments = new StubUpstream();
  let redis: TestRedis;
  let gatewayA: NestFastifyApplication;
  let gatewayB: NestFastifyApplication;
  let env: Record<string, string>;
  const policies = new TestPolicyFile('gateway', [
    slidingLog('per-user', { user: '*' }, 1000),
    slidingLog('orders-get', { user: '*', route: 'GET /orders/:orderId' }, 5, 'closed'),
  ]);

  const configWith = (extra: Record<string, string> = {}): GatewayConfig =>
    loadConfig(gatewayConfigSchema, { ...env, ...extra }, 'gateway');

  beforeAll(async () => {
    redis = createTestRedis('gateway-edge');
    env = {
      LOG_LEVEL: 'fatal',
      REDIS_URL: integrationEndpoints().redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      TICKETING_URL: await ticketing.start(),
      PAYMENTS_URL: await payments.start(),
      RATE_LIMIT_POLICY_FILE: policies.path,
    };
    // Two instances with one config: they share the limit through Redis, nothing else.
    gatewayA = await initGatewayApp(configWith(), { logLevel: 'fatal' });
    gatewayB = await initGatewayApp(configWith(), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await gatewayA?.close();
    await gatewayB?.close();
    await ticketing.stop();
    await payments.stop();
    await redis?.cleanup();
    policies.remove();
  });

  beforeEach(() => {
    ticketing.reset();
    payments.reset();
  });

  const bearer = async (userId: string) =>
    `Bearer ${await signer.sign({ userId, scopes: ['tickets:buy'] })}`;

  it('answers 401 without a token and with a token signed by another key, and calls no service', async () => {
    const missing = await gatewayA.inject({ method: 'GET', url: '/events' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().message).toBe('missing bearer token');

    const stranger = new DevTokenSigner({
      privateKeyPem: generateEs256KeyPair().privateKeyPem,
      issuer: 'suite',
      audience: 'suite',
    });
    const forged = await gatewayA.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization: `Bearer ${await stranger.sign({ userId: 'mallory' })}` },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().message).toBe('token signature is invalid');
    expect(ticketing.requests).toHaveLength(0);
  });

  it('has no development token endpoint by default', async () => {
    const response = await gatewayA.inject({
      method: 'POST',
      url: '/dev/tokens',
      payload: { userId: 'u' },
    });
    expect(response.statusCode).toBe(404);
  });

  it('mints a token the gateway accepts when development tokens are enabled', async () => {
    const dev = await initGatewayApp(
      configWith({ DEV_TOKENS: 'on', DEV_TOKEN_PRIVATE_KEY: keys.privateKeyPem }),
      { logLevel: 'fatal' },
    );
    try {
      const bad = await dev.inject({
        method: 'POST',
        url: '/dev/tokens',
        payload: { userId: 'no spaces' },
      });
      expect(bad.statusCode).toBe(400);
      const issued = await dev.inject({
        method: 'POST',
        url: '/dev/tokens',
        payload: { userId: 'demo-buyer' },
      });
      expect(issued.statusCode).toBe(200);
      expect(issued.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
      const used = await dev.inject({
        method: 'GET',
        url: '/events',
        headers: { authorization: `Bearer ${issued.json().accessToken}` },
      });
      expect(used.statusCode).toBe(200);
      expect(ticketing.requests[0]?.headers['x-user-id']).toBe('demo-buyer');
    } finally {
      await dev.close();
    }
  });

  it('forwards a valid request with the verified user, the request id and the original token', async () => {
    const authorization = await bearer('buyer-1');
    ticketing.handler = answerJson(201, { id: 'hold-1', status: 'active' });
    const response = await gatewayA.inject({
      method: 'POST',
      url: '/holds?source=web',
      headers: {
        authorization,
        'x-request-id': 'edge-req-1',
        'x-user-id': 'someone-else',
        connection: 'keep-alive, x-hop',
        'x-hop': 'secret',
      },
      payload: { eventId: 'e1', seatIds: ['A-1'] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 'hold-1', status: 'active' });
    expect(response.headers['x-request-id']).toBe('edge-req-1');
    expect(response.headers['ratelimit-policy']).toBe('"gateway.per-user";q=1000;w=60');
    expect(response.headers['ratelimit']).toMatch(/^"gateway\.per-user";r=\d+;t=\d+$/);

    expect(ticketing.requests).toHaveLength(1);
    const seen = ticketing.requests[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/holds?source=web');
    expect(seen?.headers['x-user-id']).toBe('buyer-1');
    expect(seen?.headers['x-user-scopes']).toBe('tickets:buy');
    expect(seen?.headers['x-request-id']).toBe('edge-req-1');
    expect(seen?.headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    expect(seen?.headers['authorization']).toBe(authorization);
    expect(seen?.headers['x-hop']).toBeUndefined();
    expect(JSON.parse(seen?.body ?? '')).toEqual({ eventId: 'e1', seatIds: ['A-1'] });
  });

  it('encodes path params so they cannot add a path segment upstream', async () => {
    await gatewayA.inject({
      method: 'GET',
      url: '/holds/..%2Fadmin',
      headers: { authorization: await bearer('buyer-1') },
    });
    expect(ticketing.requests[0]?.url).toBe('/holds/..%2Fadmin');
  });

  it.each([
    ['POST', '/checkouts', 'ticketing'],
    ['POST', '/payments', 'payments'],
    ['POST', '/payments/p-1/refunds', 'payments'],
  ] as const)(
    'refuses %s %s without a usable Idempotency-Key and never calls %s',
    async (method, url, _service) => {
      const authorization = await bearer('buyer-2');
      const missing = await gatewayA.inject({
        method,
        url,
        headers: { authorization },
        payload: {},
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().message).toMatch(/Idempotency-Key header is required/);
      const malformed = await gatewayA.inject({
        method,
        url,
        headers: { authorization, 'idempotency-key': 'has spaces in it' },
        payload: {},
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().message).toBe(
        'Idempotency-Key must be 8 to 255 characters of A-Z a-z 0-9 . _ : ~ + / = -; this one has a character outside that set',
      );
      expect(ticketing.requests).toHaveLength(0);
      expect(payments.requests).toHaveLength(0);
    },
  );

  it('forwards the Idempotency-Key unchanged on a money route', async () => {
    const key = '3f0c2a52-8d4e-4a53-9b1c-2f7f8e1a9c10';
    payments.handler = answerJson(201, { id: 'pay-1', status: 'captured' });
    const response = await gatewayA.inject({
      method: 'POST',
      url: '/payments',
      headers: { authorization: await bearer('buyer-2'), 'idempotency-key': key },
      payload: { amountMinor: 500, currency: 'EUR', sourceToken: 'tok', merchantReference: 'o-1' },
    });
    expect(response.statusCode).toBe(201);
    expect(payments.requests[0]?.headers['idempotency-key']).toBe(key);
  });

  it('passes an upstream 4xx body through untouched', async () => {
    const body = {
      statusCode: 403,
      error: 'Forbidden',
      message: 'only the owner of a hold may check it out',
    };
    ticketing.handler = answerJson(403, body);
    const response = await gatewayA.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { authorization: await bearer('buyer-3'), 'idempotency-key': 'checkout-key-1' },
      payload: { holdId: 'h-1', paymentSource: 'tok' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(body);
  });

  it('sanitises an upstream 500 so nothing internal reaches the client', async () => {
    ticketing.handler = answerJson(500, {
      statusCode: 500,
      message: 'QueryFailedError: relation "holds" does not exist',
      stack: 'Error\n    at HoldsRepository.find (/work/main/apps/ticketing/src/holds.ts:10:5)',
    });
    const response = await gatewayA.inject({
      method: 'GET',
      url: '/holds/h-1',
      headers: { authorization: await bearer('buyer-4') },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'ticketing could not handle the request',
    });
    expect(response.body).not.toMatch(/QueryFailedError|\.ts:|stack/);
  });

  it('shares one limit across two gateway instances: 429 with Retry-After and RateLimit headers', async () => {
    const authorization = await bearer('limited-user');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const gateway = i % 2 === 0 ? gatewayA : gatewayB;
      const response = await gateway.inject({
        method: 'GET',
        url: '/orders/o-1',
        headers: { authorization },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(response.headers['ratelimit-policy']).toBe(
          '"gateway.orders-get";q=5;w=60, "gateway.per-user";q=1000;w=60',
        );
        // The refused requests spent nothing in the per-user policy: 5 admitted, 995 left.
        expect(response.headers['ratelimit']).toMatch(
          /^"gateway\.orders-get";r=0;t=\d+, "gateway\.per-user";r=995;t=\d+$/,
        );
        expect(response.json()).toEqual({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringMatching(
            /^rate limit "gateway.orders-get" exceeded: 5 requests per 60 s; retry after \d+ s$/,
          ),
          code: 'rate-limited',
        });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(ticketing.requests).toHaveLength(5);
    // Another user has a limit of their own.
    const other = await gatewayB.inject({
      method: 'GET',
      url: '/orders/o-1',
      headers: { authorization: await bearer('other-user') },
    });
    expect(other.statusCode).toBe(200);
  });
});
