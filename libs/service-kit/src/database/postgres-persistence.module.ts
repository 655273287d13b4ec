import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { PostgresReadiness } from './database-readiness';
import { migratingDataSourceFactory } from './migrate-under-lock';
import { autocommit, typeOrmTransactions } from './ports-over-typeorm';
import { typeOrmOptionsFor, type TypeOrmOptionsInput } from './typeorm-options';

// The ports a service's repositories run on. A service's tokens file re-exports them, so its
// use cases inject TRANSACTIONS and AUTOCOMMIT like any other token of the service.
// TransactionRunner over the pool: one transaction per unit of work.
export const TRANSACTIONS = Symbol('TRANSACTIONS');
// SqlExecutor for single autocommit statements.
export const AUTOCOMMIT = Symbol('AUTOCOMMIT');

export type PostgresPersistenceOptions = Omit<TypeOrmOptionsInput, 'entities'> & {
  poolSize: number;
  applicationName: string;
};

// A service's own Postgres database, wired one way for every service (ADR 14): TypeORM holds
// the pool, applies the migrations at start-up under the lock that replicas share, and runs
// the transactions; it maps no entities, because repositories write their SQL by hand on the
// library's ports. The readiness check reports the pool, and the pool closes at shutdown.
// A database that cannot be reached at start-up fails the start at once: the process manager
// (compose's restart policy, the native runner) starts it again, rather than TypeORM retrying
// inside a process that reports itself as starting.
@Module({})
export class PostgresPersistenceModule {
  static register(options: PostgresPersistenceOptions): DynamicModule {
    return {
      module: PostgresPersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...typeOrmOptionsFor({ ...options, entities: [] }),
            logging: false,
            retryAttempts: 0,
          }),
          dataSourceFactory: migratingDataSourceFactory,
        }),
      ],
      providers: [
        { provide: TRANSACTIONS, inject: [getDataSourceToken()], useFactory: typeOrmTransactions },
        { provide: AUTOCOMMIT, inject: [getDataSourceToken()], useFactory: autocommit },
        PostgresReadiness,
      ],
      exports: [TRANSACTIONS, AUTOCOMMIT, TypeOrmModule],
    };
  }
}
