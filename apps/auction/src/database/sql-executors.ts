import type { SqlExecutor, TransactionRunner } from '@suite/coordination';
import { runInTransaction } from '@suite/service-kit';
import type { DataSource } from 'typeorm';

// The coordination library takes a TransactionRunner and an SqlExecutor; both are served
// from the service's one TypeORM pool.
export function dataSourceTransactions(db: DataSource): TransactionRunner {
  return { inTransaction: (work) => runInTransaction(db, ({ sql }) => work(sql)) };
}

// One statement per call, autocommitted, on a pooled connection.
export function autocommitExecutor(db: DataSource): SqlExecutor {
  return {
    query: (text, params) => dataSourceTransactionsOnce(db, text, params),
  };
}

async function dataSourceTransactionsOnce<R>(db: DataSource, text: string, params?: unknown[]) {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const result = await runner.query(text, params, true);
    return { rows: result.records as R[], rowCount: result.affected ?? null };
  } finally {
    await runner.release();
  }
}
