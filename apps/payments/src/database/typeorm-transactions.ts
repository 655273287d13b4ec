import { fromQueryRunner, type SqlExecutor, type TransactionRunner } from '@suite/coordination';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

// The coordination library runs on an SqlExecutor; repositories use TypeORM. Both work
// on the same QueryRunner, so the idempotency record, the payment row, the ledger and
// the outbox commit in one transaction. The executor handed to `work` maps back to its
// EntityManager through entityManagerOf.
const managers = new WeakMap<SqlExecutor, EntityManager>();

export function entityManagerOf(sql: SqlExecutor): EntityManager {
  const manager = managers.get(sql);
  if (!manager) throw new Error('this SqlExecutor was not made by TypeOrmTransactions');
  return manager;
}

export class TypeOrmTransactions implements TransactionRunner {
  constructor(private readonly db: DataSource) {}

  async inTransaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const sql = this.executor(runner);
      try {
        const result = await work(sql);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  // One statement per call, autocommitted: what IdempotencyStore.begin needs, so a
  // concurrent duplicate sees the key's lock at once.
  autocommit(): SqlExecutor {
    return {
      query: async (text, params) => {
        const runner = this.db.createQueryRunner();
        await runner.connect();
        try {
          return await fromQueryRunner(runner).query(text, params);
        } finally {
          await runner.release();
        }
      },
    };
  }

  private executor(runner: QueryRunner): SqlExecutor {
    const sql = fromQueryRunner(runner);
    managers.set(sql, runner.manager);
    return sql;
  }
}
