import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/coordination-nest';
import { AppModule } from './app.module';
import { AUCTION_CONFIG, auctionConfigSchema } from './config/auction.config';

describe('auction app', () => {
  const config = loadConfig(
    auctionConfigSchema,
    {
      DATABASE_URL: 'postgres://auction@127.0.0.1:5432/auction',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
    },
    'auction',
  );
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as auction', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'auction' });
  });

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(AUCTION_CONFIG)).toBe(config);
  });
});
