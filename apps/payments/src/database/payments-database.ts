import { typeOrmOptionsFor } from '@suite/service-kit';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { PaymentsConfig } from '../config/payments.config';
import { PAYMENTS_MIGRATIONS } from './migrations';

// TypeORM holds the pool, runs the transactions and applies the migrations (at start-up,
// under the replicas' shared lock, through migratingDataSourceFactory; never synchronize).
// It maps no entities: the repositories write their SQL by hand on the library's ports
// (typeOrmTransactions and autocommit from the service kit).
export function paymentsDatabaseOptions(config: PaymentsConfig): PostgresConnectionOptions {
  return {
    ...typeOrmOptionsFor({
      url: config.DATABASE_URL,
      entities: [],
      migrations: PAYMENTS_MIGRATIONS,
      poolSize: 20,
      applicationName: 'payments',
    }),
    logging: false,
  };
}
