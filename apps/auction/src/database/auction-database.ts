import { typeOrmOptionsFor } from '@suite/service-kit';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { AuctionConfig } from '../config/auction.config';
import { AUCTION_MIGRATIONS } from './migrations';

// TypeORM holds the pool, runs the transactions and applies the migrations (at start-up,
// under the replicas' shared lock, through migratingDataSourceFactory; never synchronize).
// It maps no entities: the repository writes its SQL by hand on the library's ports
// (typeOrmTransactions and autocommit from the service kit).
export function auctionDatabaseOptions(config: AuctionConfig): PostgresConnectionOptions {
  return {
    ...typeOrmOptionsFor({
      url: config.DATABASE_URL,
      entities: [],
      migrations: AUCTION_MIGRATIONS,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'auction',
    }),
    logging: false,
  };
}
