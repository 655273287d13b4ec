import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/coordination-nest';
import { AppModule } from './app.module';
import { PSP_SIMULATOR_CONFIG, pspSimulatorConfigSchema } from './config/psp-simulator.config';

describe('psp-simulator app', () => {
  const config = loadConfig(pspSimulatorConfigSchema, {}, 'psp-simulator');
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers GET /health as psp-simulator', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'psp-simulator' });
  });

  it('is ready while it registers no readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('provides the config it was registered with', () => {
    expect(app.get(PSP_SIMULATOR_CONFIG)).toBe(config);
  });
});
