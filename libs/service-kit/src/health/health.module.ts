import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceName } from '@suite/contracts';
import { HealthHttpController } from './health.http.controller';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options';
import { ReadinessRegistry } from './readiness.registry';

export interface HealthModuleOptions {
  checkTimeoutMs?: number;
}

const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

@Module({})
export class HealthModule {
  // Global, so any module can inject ReadinessRegistry to register its checks.
  static forService(service: ServiceName, options: HealthModuleOptions = {}): DynamicModule {
    const healthOptions: HealthOptions = {
      service,
      checkTimeoutMs: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    };
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthHttpController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: healthOptions }, ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
