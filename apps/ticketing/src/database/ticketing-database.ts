import { initializeAndMigrate, runInTransaction, typeOrmOptionsFor } from '@suite/service-kit';
import { fromQueryRunner, type SqlExecutor, type TransactionRunner } from '@suite/coordination';
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

// The coordination library's port over TypeORM: one transaction per unit of work.
export function typeOrmTransactions(dataSource: DataSource): TransactionRunner {
  return {
    inTransaction: (work) => runInTransaction(dataSource, ({ sql }) => work(sql)),
  };
}

// Single statements outside any transaction (epoch reads, idempotency begin, reads).
export function autocommit(dataSource: DataSource): SqlExecutor {
  return {
    async query(sql, params) {
      const runner = dataSource.createQueryRunner();
      try {
        return await fromQueryRunner(runner).query(sql, params);
      } finally {
        await runner.release();
      }
    },
  };
}
