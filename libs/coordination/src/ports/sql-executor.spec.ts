import type { PoolClient } from 'pg';
import { fromQueryRunner, type SqlExecutor, type StructuredQueryRunner } from './sql-executor';

// Compile-time check: a pg PoolClient is an SqlExecutor without any adapter.
const acceptsPoolClient = (client: PoolClient): SqlExecutor => client;

describe('fromQueryRunner', () => {
  it('asks for a structured result and maps records and affected to rows and rowCount', async () => {
    const calls: unknown[][] = [];
    const runner: StructuredQueryRunner = {
      query: async (...args) => {
        calls.push(args);
        return { records: [{ id: 1 }, { id: 2 }], affected: 2, raw: [] } as never;
      },
    };

    const result = await fromQueryRunner(runner).query<{ id: number }>(
      'SELECT id FROM seats WHERE event_id = $1',
      ['e1'],
    );

    expect(calls).toEqual([['SELECT id FROM seats WHERE event_id = $1', ['e1'], true]]);
    expect(result).toEqual({ rows: [{ id: 1 }, { id: 2 }], rowCount: 2 });
  });

  it('reports a null rowCount when the driver gives no affected count', async () => {
    const runner: StructuredQueryRunner = { query: async () => ({ records: [] }) };
    await expect(fromQueryRunner(runner).query('SELECT 1')).resolves.toEqual({
      rows: [],
      rowCount: null,
    });
  });

  it('rejects a runner that returns raw rows instead of a structured result', async () => {
    const runner = { query: async () => [{ id: 1 }] } as unknown as StructuredQueryRunner;
    await expect(fromQueryRunner(runner).query('SELECT 1')).rejects.toThrow(
      'did not return a structured result',
    );
  });

  it('passes driver errors through unchanged', async () => {
    const failure = new Error('duplicate key value violates unique constraint "seats_pkey"');
    const runner: StructuredQueryRunner = { query: () => Promise.reject(failure) };
    await expect(fromQueryRunner(runner).query('INSERT INTO seats VALUES ($1)', [1])).rejects.toBe(
      failure,
    );
  });

  it('accepts a pg PoolClient as an executor', () => {
    expect(typeof acceptsPoolClient).toBe('function');
  });
});
