import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { SchedulerConfig } from './config/scheduler.config';
import { SchedulerModule } from './scheduler.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: AppModule,
      // The service's module first: the OpenAPI document lists routes in import order, the
      // service's own before the chassis' health routes.
      imports: [
        SchedulerModule.register(config),
        ObservabilityModule.forService('scheduler', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('scheduler'),
        // Tokens are verified with the issuer's public key: the jobs API needs one; the sink,
        // health and metrics are public.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
