import { Module, type DynamicModule } from '@nestjs/common';
import { PostgresPersistenceModule } from '@suite/service-kit';
import { AUCTION_CONFIG } from './auction.tokens';
import { CreateAuctionHttpController } from './auctions/create-auction/create-auction.http.controller';
import { CreateAuctionUseCase } from './auctions/create-auction/create-auction.use-case';
import { GetAuctionHttpController } from './auctions/get-auction/get-auction.http.controller';
import { GetAuctionUseCase } from './auctions/get-auction/get-auction.use-case';
import { AuctionsRepository } from './auctions/infra/auctions.repository';
import { ListAuctionsHttpController } from './auctions/list-auctions/list-auctions.http.controller';
import { ListAuctionsUseCase } from './auctions/list-auctions/list-auctions.use-case';
import { ListBidsHttpController } from './auctions/list-bids/list-bids.http.controller';
import { ListBidsUseCase } from './auctions/list-bids/list-bids.use-case';
import { PlaceBidHttpController } from './auctions/place-bid/place-bid.http.controller';
import { PlaceBidUseCase } from './auctions/place-bid/place-bid.use-case';
import type { AuctionConfig } from './config/auction.config';
import { AUCTION_MIGRATIONS } from './database/migrations';
import { AuctionWorkers } from './workers/auction.workers';

// Auctions, their bids and the closer over the service's own Postgres database.
@Module({})
export class AuctionModule {
  static register(config: AuctionConfig): DynamicModule {
    return {
      module: AuctionModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: AUCTION_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'auction',
        }),
      ],
      controllers: [
        CreateAuctionHttpController,
        ListAuctionsHttpController,
        GetAuctionHttpController,
        PlaceBidHttpController,
        ListBidsHttpController,
      ],
      providers: [
        { provide: AUCTION_CONFIG, useValue: config },
        { provide: AuctionsRepository, useValue: new AuctionsRepository() },
        CreateAuctionUseCase,
        GetAuctionUseCase,
        ListAuctionsUseCase,
        ListBidsUseCase,
        PlaceBidUseCase,
        AuctionWorkers,
      ],
    };
  }
}
