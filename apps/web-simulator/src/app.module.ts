import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { WebSimulatorConfig } from './config/web-simulator.config';
import { WebSimulatorModule } from './web-simulator.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: WebSimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        WebSimulatorModule.register(config),
        ObservabilityModule.forService('web-simulator', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('web-simulator'),
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
