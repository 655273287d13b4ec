import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RateLimitPolicyFile } from '@suite/contracts';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { RateLimiterTestApps } from './testing/rate-limiter-test-apps';

const file: RateLimitPolicyFile = {
  domains: [
    {
      domain: 'api',
      policies: [
        ...(['sliding-log', 'sliding-counter', 'gcra', 'fixed-window'] as const).map(
          (algorithm) => ({
            name: algorithm,
            match: { [algorithm.replace('-', '_')]: '*' },
            algorithm,
            limit: 3,
            windowMs: 60_000,
            failure: 'closed' as const,
          }),
        ),
        {
          name: 'user-route',
          match: { user: '*', route: 'POST /checkout' },
          algorithm: 'sliding-log',
          limit: 1,
          windowMs: 60_000,
          failure: 'closed',
        },
      ],
    },
  ],
};

describe('check and usage API against Redis', () => {
  let redis: TestRedis;
  let apps: RateLimiterTestApps;
  let app: NestFastifyApplication;
  // Most tests check descriptors of many clients, as a trusted caller would: an operator.
  let operator: { authorization: string };

  const check = (
    descriptors: Record<string, string>[],
    cost?: number,
    headers: Record<string, string> = operator,
  ) =>
    app.inject({
      method: 'POST',
      url: '/check',
      headers,
      payload: { domain: 'api', descriptors, ...(cost === undefined ? {} : { cost }) },
    });
  const usage = (query: string, headers: Record<string, string> = operator) =>
    app.inject({ method: 'GET', url: `/usage?domain=api&${query}`, headers });

  beforeAll(async () => {
    redis = createTestRedis('rate-limiter check api');
    apps = new RateLimiterTestApps({
      REDIS_URL: integrationEndpoints().redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
    });
    apps.writePolicies(file);
    app = await apps.boot();
    operator = await apps.tokens.operator();
  });

  afterAll(async () => {
    await apps.close();
    await redis.cleanup();
  });

  it('denies with 429, the RateLimit headers and Retry-After once the limit is spent', async () => {
    const first = await check([{ sliding_log: 'u1' }], 2);
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"api.sliding-log";q=3;w=60');
    expect(first.headers['ratelimit']).toBe('"api.sliding-log";r=1;t=60');
    expect(first.headers['retry-after']).toBeUndefined();
    const denied = await check([{ sliding_log: 'u1' }], 2);
    expect(denied.statusCode).toBe(429);
    expect(denied.json()).toMatchObject({
      allowed: false,
      policy: 'api.sliding-log',
      remaining: 1,
      source: 'redis',
      reason: 'over limit (3 per 60000 ms)',
    });
    expect(Number(denied.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(denied.json().headers['Retry-After']).toBe(denied.headers['retry-after']);
  });

  it('the most constraining of several matching policies decides', async () => {
    const allowed = await check([
      { sliding_counter: 'u2' },
      { user: 'u2', route: 'POST /checkout' },
    ]);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().policy).toBe('api.user-route');
    const denied = await check([
      { sliding_counter: 'u2' },
      { user: 'u2', route: 'POST /checkout' },
    ]);
    expect(denied.statusCode).toBe(429);
    expect(denied.json().policy).toBe('api.user-route');
    expect(denied.headers['ratelimit-policy']).toBe(
      '"api.user-route";q=1;w=60, "api.sliding-counter";q=3;w=60',
    );
  });

  it('admits a request that no policy matches, saying so', async () => {
    const response = await check([{ user: 'u3' }]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      allowed: true,
      policy: null,
      reason: 'no policy matches these descriptors',
    });
    expect(response.headers['ratelimit-policy']).toBeUndefined();
  });

  it('usage reads every algorithm without consuming', async () => {
    for (const key of ['sliding_counter', 'gcra', 'fixed_window']) {
      expect((await check([{ [key]: 'u4' }], 2)).statusCode).toBe(200);
    }
    const query = ['sliding_log', 'sliding_counter', 'gcra', 'fixed_window']
      .map((k) => `descriptor=${k}:u4`)
      .join('&');
    const before = await usage(query);
    expect(before.statusCode).toBe(200);
    const again = await usage(query);
    const used = (r: typeof before) =>
      (r.json().usage as { used: number; remaining: number }[]).map((u) => [u.used, u.remaining]);
    // GCRA refills continuously, so over 60 s a unit frees in 20 s: still 2 used here.
    expect(used(before)).toEqual([
      [0, 3],
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    expect(used(again)).toEqual(used(before));
    // Looking spent nothing: the last unit is still there for every algorithm.
    for (const key of ['sliding_counter', 'gcra', 'fixed_window']) {
      expect((await check([{ [key]: 'u4' }])).statusCode).toBe(200);
      expect((await check([{ [key]: 'u4' }])).statusCode).toBe(429);
    }
  });

  it('refuses bad input with 400 and a clear message', async () => {
    const cost = await check([{ sliding_log: 'u5' }], 4);
    expect(cost.statusCode).toBe(422);
    expect(cost.json().message).toBe(
      'cost 4 can never be admitted by policy api.sliding-log, whose capacity is 3',
    );
    const unknown = await app.inject({
      method: 'POST',
      url: '/check',
      headers: operator,
      payload: { domain: 'nope', descriptors: [{ user: 'u' }] },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().message).toBe('domain "nope" has no policies; loaded domains: api');
    const badDescriptor = await usage('descriptor=user');
    expect(badDescriptor.statusCode).toBe(400);
    expect(badDescriptor.json().message).toBe(
      'descriptor.0 must be key:value pairs separated by ","',
    );
    const missing = await app.inject({
      method: 'GET',
      url: '/usage?domain=api',
      headers: operator,
    });
    expect(missing.statusCode).toBe(400);
  });

  describe('whose budgets a caller may touch', () => {
    const victimsCheckout = { user: 'victim', route: 'POST /checkout' };
    const victimsUsed = async () =>
      (await usage('descriptor=user:victim,route:POST%20/checkout')).json().usage[0].used;

    it('answers 401 to a check or a usage read without a token', async () => {
      for (const response of [
        await app.inject({
          method: 'POST',
          url: '/check',
          payload: { domain: 'api', descriptors: [victimsCheckout] },
        }),
        await app.inject({ method: 'GET', url: '/usage?domain=api&descriptor=user:victim' }),
      ]) {
        expect(response.statusCode).toBe(401);
        expect(response.json().message).toBe('missing bearer token');
      }
      expect(await victimsUsed()).toBe(0);
    });

    it('refuses-a-shopper-spending-another-users-budget-with-403-and-leaves-it-unspent', async () => {
      const mallory = await apps.tokens.bearer('mallory', ['tickets:buy']);
      const response = await check([victimsCheckout], 1, mallory);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message:
          'descriptors.0 names another user: without the "ops:admin" scope every descriptor must carry "user": "mallory", the token\'s own subject',
      });
      expect(await victimsUsed()).toBe(0);
      // The victim's one checkout a minute is still there for the victim.
      const victim = await apps.tokens.bearer('victim');
      expect((await check([victimsCheckout], 1, victim)).statusCode).toBe(200);
      expect(await victimsUsed()).toBe(1);
    });

    it('refuses a shopper a descriptor without a user: a budget shared with others', async () => {
      const mallory = await apps.tokens.bearer('mallory');
      const response = await check([{ user: 'mallory' }, { sliding_log: 'shared' }], 1, mallory);
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toMatch(/^descriptors\.1 has no "user" entry: /);
      expect((await usage('descriptor=sliding_log:shared')).json().usage[0].used).toBe(0);
    });

    it('refuses-a-shopper-reading-another-users-usage-with-403', async () => {
      const mallory = await apps.tokens.bearer('mallory');
      const response = await usage('descriptor=user:victim,route:POST%20/checkout', mallory);
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toMatch(/^descriptor\.0 names another user: /);
    });

    it('lets a shopper check and read its own descriptors', async () => {
      const own = { user: 'shopper-own', route: 'POST /checkout' };
      const shopper = await apps.tokens.bearer('shopper-own', ['tickets:buy']);
      expect((await check([own], 1, shopper)).statusCode).toBe(200);
      expect((await check([own], 1, shopper)).statusCode).toBe(429);
      const read = await usage('descriptor=user:shopper-own,route:POST%20/checkout', shopper);
      expect(read.statusCode).toBe(200);
      expect(read.json().usage[0]).toMatchObject({ used: 1, remaining: 0 });
    });

    it('keeps the admin routes to operators: 401 without a token, 403 for a shopper', async () => {
      const shopper = await apps.tokens.bearer('shopper-admin', ['tickets:buy']);
      for (const [method, url] of [
        ['GET', '/admin/policies'],
        ['POST', '/admin/policies/reload'],
      ] as const) {
        expect((await app.inject({ method, url })).statusCode).toBe(401);
        const refused = await app.inject({ method, url, headers: shopper });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().message).toBe(
          'this route requires the "ops:admin" scope, which the token does not carry',
        );
        expect((await app.inject({ method, url, headers: operator })).statusCode).toBe(200);
      }
    });
  });
});
