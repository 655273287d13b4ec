import { readFileSync } from 'node:fs';
import type { SqlExecutor } from '../ports/sql-executor';
import { SelectionError } from './selection.errors';
import { MAX_EPOCH } from './fencing-token';

// Where a new epoch comes from when Redis has none for a scope. Every value must be higher
// than every value handed out before, across process and Redis restarts.
export interface EpochSource {
  next(): Promise<number>;
}

// The DDL the apps include in their migrations; tests apply it with applyFencingSchema.
export const FENCING_SCHEMA_SQL = readFileSync(`${__dirname}/sql/001_fencing.sql`, 'utf8');

export async function applyFencingSchema(sql: SqlExecutor): Promise<void> {
  await sql.query(FENCING_SCHEMA_SQL);
}

// Epochs from the coordination_fencing_epoch sequence: nextval is durable and never repeats,
// whatever Redis or the callers do. Gaps (a value taken and never installed) are harmless.
export class PostgresEpochs implements EpochSource {
  constructor(private readonly sql: SqlExecutor) {}

  async next(): Promise<number> {
    let rows: { epoch: string }[];
    try {
      ({ rows } = await this.sql.query<{ epoch: string }>(
        `select nextval('coordination_fencing_epoch')::text as epoch`,
      ));
    } catch (error) {
      // Postgres reports an exhausted sequence as 2200H (sequence_generator_limit_exceeded).
      if ((error as { code?: unknown }).code === '2200H') {
        throw new SelectionError(
          'token-space-exhausted',
          `fencing epochs exhausted (max ${MAX_EPOCH}); see ADR 0003`,
        );
      }
      throw error;
    }
    const epoch = Number(rows[0]?.epoch);
    if (!Number.isSafeInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) {
      throw new SelectionError('token-space-exhausted', `epoch out of range: ${rows[0]?.epoch}`);
    }
    return epoch;
  }
}
