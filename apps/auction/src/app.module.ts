import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, ObservabilityModule } from '@suite/coordination-nest';
import { AUCTION_CONFIG, type AuctionConfig } from './config/auction.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: AuctionConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('auction', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('auction'),
      ],
      providers: [{ provide: AUCTION_CONFIG, useValue: config }],
      exports: [AUCTION_CONFIG],
    };
  }
}
