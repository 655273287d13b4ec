import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import { TestTokens } from '@suite/testing';
import { AppModule } from './app.module';
import { rateLimiterConfigSchema } from './config/rate-limiter.config';
import { RATE_LIMITER_CONFIG } from './rate-limiter.tokens';

describe('rate-limiter app', () => {
  const tokens = new TestTokens();
  const config = loadConfig(
    rateLimiterConfigSchema,
    { LOG_LEVEL: 'fatal', REDIS_URL: 'redis://127.0.0.1:1', JWT_PUBLIC_KEY: tokens.publicKeyPem },
    'rate-limiter',
  );
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as rate-limiter', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'rate-limiter' });
  });

  it('is not ready while Redis, where every window is counted, cannot be reached', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(Object.keys(response.json().checks)).toEqual(['redis']);
  });

  it('refuses a check for a domain it has no policies for, naming the loaded ones', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/check',
      headers: await tokens.bearer('u1'),
      payload: { domain: 'api', descriptors: [{ user: 'u1' }] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error: 'unknown_domain',
      message: 'domain "api" has no policies; loaded domains: (none)',
    });
  });

  it('refuses malformed descriptors with a message naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/check',
      headers: await tokens.bearer('u1'),
      payload: { domain: 'api', descriptors: [{ user: 'u1' }, {}], cost: -1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual(
      expect.arrayContaining([
        'descriptors.1: a descriptor needs at least one entry',
        'cost must not be less than 0',
      ]),
    );
  });

  it('provides the config it was registered with', () => {
    expect(app.get(RATE_LIMITER_CONFIG)).toBe(config);
  });

  it('serves Prometheus metrics at /metrics', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain(
      'http_request_duration_seconds_count{service="rate-limiter",method="GET",route="/health",status="200"}',
    );
  });

  it("echoes the caller's x-request-id", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'rate-limiter-probe-1' },
    });
    expect(response.headers['x-request-id']).toBe('rate-limiter-probe-1');
  });
});
