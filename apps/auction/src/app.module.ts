import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import { AuctionWorkers } from './auctions/auction.workers';
import { CreateAuctionHttpController } from './auctions/create-auction/create-auction.http.controller';
import { CreateAuctionUseCase } from './auctions/create-auction/create-auction.use-case';
import { GetAuctionHttpController } from './auctions/get-auction/get-auction.http.controller';
import { ListAuctionsHttpController } from './auctions/list-auctions/list-auctions.http.controller';
import { ListBidsHttpController } from './auctions/list-bids/list-bids.http.controller';
import { PlaceBidHttpController } from './auctions/place-bid/place-bid.http.controller';
import { PlaceBidUseCase } from './auctions/place-bid/place-bid.use-case';
import { AUCTION_CONFIG, type AuctionConfig } from './config/auction.config';
import { AuctionDatabaseModule } from './database/auction-database.module';

@Global()
@Module({})
class AuctionConfigModule {
  static register(config: AuctionConfig): DynamicModule {
    return {
      module: AuctionConfigModule,
      providers: [{ provide: AUCTION_CONFIG, useValue: config }],
      exports: [AUCTION_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: AuctionConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuctionConfigModule.register(config),
        ObservabilityModule.forService('auction', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('auction'),
        // Identity: the caller is the JWT's subject (the gateway forwards the token and
        // this service verifies it again with the public key).
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        AuctionDatabaseModule,
      ],
      controllers: [
        CreateAuctionHttpController,
        ListAuctionsHttpController,
        GetAuctionHttpController,
        PlaceBidHttpController,
        ListBidsHttpController,
      ],
      providers: [CreateAuctionUseCase, PlaceBidUseCase, AuctionWorkers],
    };
  }
}
