// A pool that logs every statement its connections send, grouped by transaction (from
// BEGIN to COMMIT or ROLLBACK): what the round-trip spec counts. Each statement is one
// round trip to Postgres, and under load one event-loop delay of the service while the
// transaction stays open.
import type { Pool, PoolClient } from 'pg';
import type { PoolLike } from '../../../ports/transaction-runner';
import type { SqlExecutor, SqlResult } from '../../../ports/sql-executor';

export class StatementLog implements PoolLike {
  private log: string[][] = [];

  constructor(private readonly pool: Pool) {}

  async connect(): Promise<SqlExecutor & { release(error?: Error | boolean): void }> {
    const client: PoolClient = await this.pool.connect();
    let open: string[] | undefined;
    return {
      query: async <R>(text: string, params?: unknown[]): Promise<SqlResult<R>> => {
        const statement = text.trim().replace(/\s+/g, ' ');
        if (statement === 'begin') {
          open = [];
          this.log.push(open);
        }
        (open ?? []).push(statement);
        if (statement === 'commit' || statement === 'rollback') open = undefined;
        const result = await client.query(text, params);
        return { rows: result.rows as R[], rowCount: result.rowCount };
      },
      release: (error) => client.release(error),
    };
  }

  // Statements per transaction since the last call, BEGIN and COMMIT included.
  take(): number[] {
    const counts = this.log.map((statements) => statements.length);
    this.log = [];
    return counts;
  }

  // The statements themselves, for a failure message.
  peek(): string[][] {
    return this.log.map((statements) => [...statements]);
  }
}
