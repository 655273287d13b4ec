import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { fromQueryRunner, type SqlExecutor, type TransactionRunner } from '@suite/coordination';
import {
  dataSourceReadinessCheck,
  ReadinessRegistry,
  runInTransaction,
  typeOrmOptionsFor,
} from '@suite/service-kit';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { PspSimulatorConfig } from '../config/psp-simulator.config';
import { PSP_SIMULATOR_MIGRATIONS } from './migrations';

// TypeORM holds the pool, runs the transactions and applies the migrations (at start-up,
// under the replicas' shared lock, through migratingDataSourceFactory; never synchronize).
// It maps no entities: the repositories write their SQL by hand on the ports below.
export function pspSimulatorDatabaseOptions(config: PspSimulatorConfig): PostgresConnectionOptions {
  return {
    ...typeOrmOptionsFor({
      url: config.DATABASE_URL,
      entities: [],
      migrations: PSP_SIMULATOR_MIGRATIONS,
      poolSize: 10,
      applicationName: 'psp-simulator',
    }),
    logging: false,
  };
}

// The coordination library's port over TypeORM: one transaction per unit of work.
export function typeOrmTransactions(dataSource: DataSource): TransactionRunner {
  return {
    inTransaction: (work) => runInTransaction(dataSource, ({ sql }) => work(sql)),
  };
}

// Single statements outside any transaction, each on a pooled connection.
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

// Registers the shared Postgres readiness check for this app's data source.
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('postgres', dataSourceReadinessCheck(this.db));
  }
}
