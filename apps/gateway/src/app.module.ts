import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, ObservabilityModule } from '@suite/coordination-nest';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('gateway', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('gateway'),
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
