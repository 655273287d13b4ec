import { fromQueryRunner, type SqlExecutor, type TransactionRunner } from '@suite/coordination';
import type { DataSource } from 'typeorm';
import { runInTransaction } from './run-in-transaction';

// The coordination library's ports over a service's TypeORM data source, the one adapter
// every raw-SQL service uses (ADR 14).

// TransactionRunner: one transaction per unit of work.
export function typeOrmTransactions(dataSource: DataSource): TransactionRunner {
  return {
    inTransaction: (work) => runInTransaction(dataSource, ({ sql }) => work(sql)),
  };
}

// SqlExecutor for single statements outside any transaction, each on a pooled connection
// (epoch reads, an idempotency key's claim, reads).
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
