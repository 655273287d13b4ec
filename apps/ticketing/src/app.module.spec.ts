import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateEs256KeyPair, initServiceApp, loadConfig } from '@suite/service-kit';
import { AppModule } from './app.module';
import { ticketingConfigSchema } from './config/ticketing.config';
import { TICKETING_CONFIG } from './ticketing.tokens';

describe('ticketing app', () => {
  const config = loadConfig(
    ticketingConfigSchema,
    {
      LOG_LEVEL: 'fatal',
      DOMAIN: 'off',
      DATABASE_URL: 'postgres://ticketing@127.0.0.1:5432/ticketing',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
      JWT_PUBLIC_KEY: generateEs256KeyPair().publicKeyPem,
    },
    'ticketing',
  );
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as ticketing', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'ticketing' });
  });

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(TICKETING_CONFIG)).toBe(config);
  });

  it('serves Prometheus metrics at /metrics', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain(
      'http_request_duration_seconds_count{service="ticketing",method="GET",route="/health",status="200"}',
    );
  });

  it("echoes the caller's x-request-id", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'ticketing-probe-1' },
    });
    expect(response.headers['x-request-id']).toBe('ticketing-probe-1');
  });
});
