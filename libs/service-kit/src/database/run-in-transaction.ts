import { fromQueryRunner, type SqlExecutor } from '@suite/coordination';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

// One database transaction seen two ways: TypeORM's EntityManager for repositories
// and entities, and the coordination library's SqlExecutor for hand-written SQL (the
// outbox row, the idempotency record, the fenced write). Both use the same
// connection, so everything done through either commits or rolls back together.
export interface UnitOfWork {
  manager: EntityManager;
  sql: SqlExecutor;
}

export interface TransactionOptions {
  isolationLevel?: IsolationLevel;
}

// Runs `work` in a transaction on a connection of its own. Commits when it resolves,
// rolls back and rethrows its error when it rejects, and always returns the
// connection to the pool.
export async function runInTransaction<T>(
  dataSource: DataSource,
  work: (unit: UnitOfWork) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.startTransaction(options.isolationLevel);
    let result: T;
    try {
      result = await work({ manager: queryRunner.manager, sql: fromQueryRunner(queryRunner) });
      await queryRunner.commitTransaction();
    } catch (error) {
      if (queryRunner.isTransactionActive) {
        // The original error is what the caller needs; a failed rollback ends with
        // the connection being released and the server discarding the transaction.
        await queryRunner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    }
    return result;
  } finally {
    await queryRunner.release();
  }
}
