import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import {
  migratingDataSourceFactory,
  PostgresReadiness,
  typeOrmOptionsFor,
} from '@suite/service-kit';
import type { DataSource } from 'typeorm';
import { AuctionRecord, BidRecord } from '../auctions/infra/auction.record';
import { AuctionsRepository } from '../auctions/infra/auctions.repository';
import { AUCTION_CONFIG, type AuctionConfig } from '../config/auction.config';
import { AUCTION_MIGRATIONS } from './auction-migrations';

// Migrations run at start-up under the replicas' shared lock, before the first request; the
// schema is never synchronised.
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AUCTION_CONFIG],
      useFactory: (config: AuctionConfig) => ({
        ...typeOrmOptionsFor({
          url: config.DATABASE_URL,
          entities: [AuctionRecord, BidRecord],
          migrations: AUCTION_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'auction',
        }),
        retryAttempts: 0,
        logging: false,
      }),
      dataSourceFactory: migratingDataSourceFactory,
    }),
  ],
  providers: [
    PostgresReadiness,
    {
      provide: AuctionsRepository,
      inject: [getDataSourceToken()],
      useFactory: (db: DataSource) => new AuctionsRepository(db),
    },
  ],
  exports: [AuctionsRepository],
})
export class AuctionDatabaseModule {}
