import { typeOrmOptionsFor } from '@suite/service-kit';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_MIGRATIONS } from './migrations';

// TypeORM holds the pool, runs the transactions and applies the migrations (at start-up,
// under the replicas' shared lock); it maps no entities: the repositories write SQL by hand.
export function schedulerDatabaseOptions(config: SchedulerConfig): PostgresConnectionOptions {
  return {
    ...typeOrmOptionsFor({
      url: config.DATABASE_URL,
      entities: [],
      migrations: SCHEDULER_MIGRATIONS,
      poolSize: config.DATABASE_POOL_SIZE,
      applicationName: 'scheduler',
    }),
    logging: false,
  };
}
