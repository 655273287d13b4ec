import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/coordination-nest';
import { AppModule } from './app.module';
import { PAYMENTS_CONFIG, paymentsConfigSchema } from './config/payments.config';

describe('payments app', () => {
  const config = loadConfig(
    paymentsConfigSchema,
    {
      DATABASE_URL: 'postgres://payments@127.0.0.1:5432/payments',
      KAFKA_BROKERS: '127.0.0.1:9092',
    },
    'payments',
  );
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as payments', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'payments' });
  });

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(PAYMENTS_CONFIG)).toBe(config);
  });
});
