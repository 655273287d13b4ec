import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { PaymentsConfig } from './config/payments.config';
import { PaymentsModule } from './payments.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: AppModule,
      // The service's module first: the OpenAPI document lists routes in import order, the
      // service's own before the chassis' health routes.
      imports: [
        PaymentsModule.register(config),
        ObservabilityModule.forService('payments', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('payments'),
        // Every route needs the caller's bearer token, verified here with the issuer's public
        // key; health is public. Saga commands come over Kafka and are not HTTP routes.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
