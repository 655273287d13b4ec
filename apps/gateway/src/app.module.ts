import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { GatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      // The gateway's module first: the OpenAPI document lists routes in import order, the
      // proxied routes before the chassis' health routes.
      imports: [
        GatewayModule.register(config),
        // Metrics go to their own loopback port (GatewayMetricsServer), not the API port.
        ObservabilityModule.forService('gateway', {
          logLevel: config.LOG_LEVEL,
          metricsRoute: 'none',
        }),
        HealthModule.forService('gateway'),
        // The gateway verifies with the public key, like every service: it cannot mint
        // tokens either, except through the development signer when that is enabled.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          maxTokenAgeSeconds: config.JWT_MAX_AGE_SECONDS,
        }),
      ],
    };
  }
}
