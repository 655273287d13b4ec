// The one thing the mechanisms need from a database: run a statement on a connection
// the caller owns. The caller decides the transaction, so a domain write, its outbox
// row and its idempotency record can commit together.
//
// A `pg` Client or PoolClient satisfies this as it is. A TypeORM QueryRunner is
// adapted with fromQueryRunner below, which keeps TypeORM out of this library.
export interface SqlResult<R> {
  rows: R[];
  // Rows returned or affected; null when the driver does not report it.
  rowCount: number | null;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<R>>;
}

// Structural slice of TypeORM's QueryRunner: its `query(sql, params, true)` overload
// returns a QueryResult with `records` and `affected` instead of a driver-specific shape.
export interface StructuredQueryRunner {
  query(
    sql: string,
    params: unknown[] | undefined,
    useStructuredResult: true,
  ): Promise<StructuredQueryResult>;
}

export interface StructuredQueryResult {
  records: unknown[];
  affected?: number | null;
}

export function fromQueryRunner(queryRunner: StructuredQueryRunner): SqlExecutor {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<SqlResult<R>> {
      const result: unknown = await queryRunner.query(sql, params, true);
      if (!isStructuredResult(result)) {
        throw new TypeError(
          'query runner did not return a structured result (expected { records: [] })',
        );
      }
      return { rows: result.records as R[], rowCount: result.affected ?? null };
    },
  };
}

function isStructuredResult(value: unknown): value is StructuredQueryResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records)
  );
}
