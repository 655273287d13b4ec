import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { PspSimulatorConfig } from './config/psp-simulator.config';
import { PspSimulatorModule } from './psp-simulator.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PspSimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      // The service's module first: the OpenAPI document lists routes in import order, the
      // service's own before the chassis' health routes.
      imports: [
        PspSimulatorModule.register(config),
        ObservabilityModule.forService('psp-simulator', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('psp-simulator'),
        // Operators' tokens are verified here with the issuer's public key; the merchant API
        // is public (@Public on its controllers), as are health and metrics.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
