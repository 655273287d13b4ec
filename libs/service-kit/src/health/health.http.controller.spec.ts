import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp } from '../app/create-service-app';
import { HealthModule } from './health.module';
import { ReadinessRegistry, type ReadinessCheck } from './readiness.registry';

// Stands in for a module that owns a dependency and registers its check at init.
function moduleWithChecks(checks: Record<string, ReadinessCheck>) {
  @Injectable()
  class ChecksRegistrar implements OnModuleInit {
    constructor(private readonly readiness: ReadinessRegistry) {}
    onModuleInit(): void {
      for (const [name, check] of Object.entries(checks)) {
        this.readiness.register(name, check);
      }
    }
  }

  @Module({ providers: [ChecksRegistrar] })
  class DependencyModule {}

  @Module({
    imports: [HealthModule.forService('ticketing', { checkTimeoutMs: 50 }), DependencyModule],
  })
  class ProbeAppModule {}

  return ProbeAppModule;
}

describe('health endpoints', () => {
  let app: NestFastifyApplication | undefined;

  async function boot(
    checks: Record<string, ReadinessCheck> = {},
  ): Promise<NestFastifyApplication> {
    app = await initServiceApp(moduleWithChecks(checks), { logLevel: 'fatal' });
    return app;
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('GET /health reports the service as alive without running readiness checks', async () => {
    const check = jest.fn(() => Promise.reject(new Error('redis down')));
    const response = await (await boot({ redis: check })).inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'ticketing' });
    expect(check).not.toHaveBeenCalled();
  });

  it('GET /health/ready is ready when no checks are registered', async () => {
    const response = await (await boot()).inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('GET /health/ready is ready when every registered check passes', async () => {
    const response = await (
      await boot({ postgres: () => Promise.resolve(), redis: () => Promise.resolve() })
    ).inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('GET /health/ready answers 503 naming the failing check, and logs its reason without answering it', async () => {
    const warnings: string[] = [];
    const logger = {
      log: () => undefined,
      error: () => undefined,
      warn: (message: unknown) => warnings.push(String(message)),
    };
    app = await initServiceApp(
      moduleWithChecks({
        postgres: () => Promise.resolve(),
        redis: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      }),
      { logLevel: 'fatal', logger },
    );
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'ok', redis: 'down' },
    });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(warnings).toContain('readiness check "redis" failed: ECONNREFUSED 127.0.0.1:6379');
  });

  it('GET /health/ready fails a check that hangs past its timeout', async () => {
    const response = await (
      await boot({ kafka: () => new Promise<void>(() => undefined) })
    ).inject({
      method: 'GET',
      url: '/health/ready',
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { kafka: 'down' },
    });
  });

  it('GET /health/ready fails a check that throws synchronously or rejects with a non-Error', async () => {
    const throwsSync: ReadinessCheck = () => {
      throw new Error('pool not created');
    };
    const response = await (
      await boot({ postgres: throwsSync, redis: () => Promise.reject('NOAUTH') })
    ).inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'down', redis: 'down' },
    });
  });
});

describe('ReadinessRegistry', () => {
  it('refuses two checks with the same name', () => {
    const registry = new ReadinessRegistry();
    registry.register('redis', () => Promise.resolve());
    expect(() => registry.register('redis', () => Promise.resolve())).toThrow(
      'readiness check "redis" is already registered',
    );
  });
});
