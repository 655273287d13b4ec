import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { RateLimiterConfig } from './config/rate-limiter.config';
import { RateLimiterModule } from './rate-limiter.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: RateLimiterConfig): DynamicModule {
    return {
      module: AppModule,
      // The service's module first: the OpenAPI document lists routes in import order, the
      // service's own before the chassis' health routes.
      imports: [
        RateLimiterModule.register(config),
        ObservabilityModule.forService('rate-limiter', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('rate-limiter'),
        // /check and /usage need a valid token, /admin an operator's (ops:admin).
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
