import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RateLimiterTestApps } from './testing/rate-limiter-test-apps';

// Nothing listens on port 1: every command to Redis fails at once, and each policy's
// failure mode decides.
describe('rate-limiter answers while Redis cannot be reached', () => {
  const apps = new RateLimiterTestApps({ REDIS_URL: 'redis://127.0.0.1:1' });
  let app: NestFastifyApplication;
  let operator: { authorization: string };

  beforeAll(async () => {
    apps.writePolicies({
      domains: [
        {
          domain: 'api',
          policies: [
            {
              name: 'per-user',
              match: { user: '*' },
              algorithm: 'sliding-log',
              limit: 5,
              windowMs: 60_000,
              failure: 'closed',
            },
          ],
        },
      ],
    });
    app = await apps.boot();
    operator = await apps.tokens.operator();
  });

  afterAll(async () => {
    await apps.close();
  });

  it('denies a check under a fail-closed policy with 429, the reason and Retry-After', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/check',
      headers: operator,
      payload: { domain: 'api', descriptors: [{ user: 'u1' }] },
    });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({
      allowed: false,
      source: 'failure-policy',
      reason: 'Redis unavailable: policy fails closed, denied until Redis answers',
    });
    expect(response.headers['retry-after']).toBe(response.json().headers['Retry-After']);
  });

  it('answers a usage read with 503 and Retry-After: 1, since only Redis holds the count', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/usage?domain=api&descriptor=user:u1',
      headers: operator,
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ statusCode: 503, error: 'redis_unavailable' });
    expect(response.json().message).toMatch(/^usage lives in Redis, which cannot be read now: /);
  });
});
