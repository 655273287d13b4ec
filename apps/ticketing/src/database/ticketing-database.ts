import { initializeAndMigrate, typeOrmOptionsFor } from '@suite/service-kit';
import { DataSource } from 'typeorm';
import { TICKETING_MIGRATIONS } from './migrations';

// Opens the pool and applies pending migrations under the replicas' shared lock (never
// synchronize).
export async function openTicketingDatabase(url: string, poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource(
    typeOrmOptionsFor({
      url,
      // No entities: repositories write their SQL by hand (ADR 14).
      entities: [],
      migrations: TICKETING_MIGRATIONS,
      poolSize,
      applicationName: 'ticketing',
    }),
  );
  return initializeAndMigrate(dataSource);
}
