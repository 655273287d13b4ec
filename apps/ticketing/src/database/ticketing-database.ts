import { initializeAndMigrate, typeOrmOptionsFor } from '@suite/service-kit';
import { DataSource } from 'typeorm';
import { EventRecord, SeatRecord, VenueRecord } from '../events/infra/event.records';
import { HoldRecord } from '../holds/infra/hold.record';
import { OrderRecord, TicketRecord } from '../orders/infra/order.records';
import { TICKETING_MIGRATIONS } from './migrations';

export const TICKETING_ENTITIES = [
  VenueRecord,
  EventRecord,
  SeatRecord,
  HoldRecord,
  OrderRecord,
  TicketRecord,
];

// Opens the pool and applies pending migrations under the replicas' shared lock (never
// synchronize).
export async function openTicketingDatabase(url: string, poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource(
    typeOrmOptionsFor({
      url,
      entities: TICKETING_ENTITIES,
      migrations: TICKETING_MIGRATIONS,
      poolSize,
      applicationName: 'ticketing',
    }),
  );
  return initializeAndMigrate(dataSource);
}
