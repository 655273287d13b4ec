import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, ObservabilityModule } from '@suite/coordination-nest';
import { RATE_LIMITER_CONFIG, type RateLimiterConfig } from './config/rate-limiter.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: RateLimiterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('rate-limiter', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('rate-limiter'),
      ],
      providers: [{ provide: RATE_LIMITER_CONFIG, useValue: config }],
      exports: [RATE_LIMITER_CONFIG],
    };
  }
}
