import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/coordination-nest';
import { AppModule } from './app.module';
import { RATE_LIMITER_CONFIG, rateLimiterConfigSchema } from './config/rate-limiter.config';

describe('rate-limiter app', () => {
  const config = loadConfig(
    rateLimiterConfigSchema,
    { REDIS_URL: 'redis://127.0.0.1:6379' },
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

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(RATE_LIMITER_CONFIG)).toBe(config);
  });
});
