import { poolTransactionRunner, type PoolLike } from './transaction-runner';

// A recording stand-in for a pg Pool: only the statement order is under test here; the
// real transaction semantics are exercised by every integration test that uses a pool.
function recordingPool(failOn?: string) {
  const statements: string[] = [];
  const released: unknown[] = [];
  const pool: PoolLike = {
    async connect() {
      return {
        async query<R>(sql: string) {
          statements.push(sql);
          if (sql === failOn) throw new Error(`${sql} failed`);
          return { rows: [] as R[], rowCount: 0 };
        },
        release: (error?: Error | boolean) => void released.push(error),
      };
    },
  };
  return { pool, statements, released };
}

describe('poolTransactionRunner', () => {
  it('wraps the work in begin and commit and returns its result', async () => {
    const { pool, statements, released } = recordingPool();
    const result = await poolTransactionRunner(pool).inTransaction(async (sql) => {
      await sql.query('insert 1');
      return 42;
    });
    expect(result).toBe(42);
    expect(statements).toEqual(['begin', 'insert 1', 'commit']);
    expect(released).toEqual([undefined]);
  });

  it('rolls back and rethrows when the work fails', async () => {
    const { pool, statements } = recordingPool('insert 1');
    const run = poolTransactionRunner(pool).inTransaction((sql) => sql.query('insert 1'));
    await expect(run).rejects.toThrow('insert 1 failed');
    expect(statements).toEqual(['begin', 'insert 1', 'rollback']);
  });

  it('discards the connection when even the rollback fails', async () => {
    const { pool, released } = recordingPool('rollback');
    const run = poolTransactionRunner(pool).inTransaction(async () => {
      throw new Error('work failed');
    });
    await expect(run).rejects.toThrow('work failed');
    expect(released[0]).toBeInstanceOf(Error);
  });
});
