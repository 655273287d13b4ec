import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { gatewayConfigSchema } from './config/gateway.config';
import { initGatewayApp } from './gateway.app';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { GatewayMetricsServer } from './metrics/gateway-metrics.server';

describe('gateway app', () => {
  const keys = generateEs256KeyPair();
  const config = loadConfig(
    gatewayConfigSchema,
    // Nothing here reaches Redis: the client connects on first use.
    { LOG_LEVEL: 'fatal', REDIS_URL: 'redis://127.0.0.1:1', JWT_PUBLIC_KEY: keys.publicKeyPem },
    'gateway',
  );
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initGatewayApp(config, { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as gateway without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'gateway' });
  });

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(GATEWAY_CONFIG)).toBe(config);
  });

  it('serves Prometheus metrics on its own loopback port, with the breaker state per upstream, and not on the API port', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);

    const url = await app.get(GatewayMetricsServer).start('127.0.0.1', 0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toContain(
      'http_request_duration_seconds_count{service="gateway",method="GET",route="/health",status="200"}',
    );
    expect(body).toContain(
      'gateway_upstream_circuit_state{upstream="payments",service="gateway"} 0',
    );
    expect((await fetch(url.replace('/metrics', '/health'))).status).toBe(404);
  });

  it("echoes the caller's x-request-id", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'gateway-probe-1' },
    });
    expect(response.headers['x-request-id']).toBe('gateway-probe-1');
  });

  it('counts a request without a token by its address, then refuses it before any upstream is consulted', async () => {
    const response = await app.inject({ method: 'GET', url: '/events' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'missing bearer token',
    });
    expect(response.headers['ratelimit-policy']).toMatch(/^"gateway\.per-client-ip";/);
  });

  it('has no development token endpoint unless it is enabled', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/dev/tokens',
      payload: { userId: 'u1' },
    });
    expect(response.statusCode).toBe(404);
  });
});
