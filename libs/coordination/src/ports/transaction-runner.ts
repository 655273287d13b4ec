import type { SqlExecutor } from './sql-executor';

// Runs a unit of work in one database transaction: everything `work` writes through the
// executor it is given commits together or not at all.
export interface TransactionRunner {
  inTransaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
}

// Structural slice of a pg Pool, so the library does not import pg.
export interface PoolLike {
  connect(): Promise<SqlExecutor & { release(error?: Error | boolean): void }>;
}

export function poolTransactionRunner(pool: PoolLike): TransactionRunner {
  return {
    async inTransaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (error) {
        try {
          await client.query('rollback');
        } catch (rollbackError) {
          // A connection that cannot roll back is not returned to the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
