import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import { CheckHttpController } from './policies/check/check.http.controller';
import { CheckUseCase } from './policies/check/check.use-case';
import { DecisionMetrics } from './policies/infra/decision.metrics';
import { RATE_LIMITER_CONFIG, type RateLimiterConfig } from './config/rate-limiter.config';
import { PoliciesModule } from './policies/policies.module';
import { RedisModule } from './redis/redis.module';
import { UsageHttpController } from './policies/usage/usage.http.controller';
import { UsageUseCase } from './policies/usage/usage.use-case';

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
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        RedisModule.register(config),
        PoliciesModule.register(config),
      ],
      controllers: [CheckHttpController, UsageHttpController],
      providers: [
        { provide: RATE_LIMITER_CONFIG, useValue: config },
        CheckUseCase,
        DecisionMetrics,
        UsageUseCase,
      ],
      exports: [RATE_LIMITER_CONFIG],
    };
  }
}
