import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import { AuctionModule } from './auction.module';
import type { AuctionConfig } from './config/auction.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: AuctionConfig): DynamicModule {
    return {
      module: AppModule,
      // The service's module first: the OpenAPI document lists routes in import order, the
      // service's own before the chassis' health routes.
      imports: [
        AuctionModule.register(config),
        ObservabilityModule.forService('auction', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('auction'),
        // Identity: the caller is the JWT's subject (the gateway forwards the token and
        // this service verifies it again with the public key).
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
