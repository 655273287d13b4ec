import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '../../ports/sql-executor';

// Forward-only DDL that ships beside the code (apps run from source, so the files are
// where __dirname says). Apps copy these {name, sql} pairs into their own migrations;
// tests apply them with applySuppressionMigrations. Every statement is idempotent.
export const SUPPRESSION_MIGRATIONS: readonly { name: string; sql: string }[] = [
  '001_idempotency.sql',
  '002_inbox.sql',
].map((name) => ({
  name: `suppression/${name}`,
  sql: readFileSync(join(__dirname, '..', 'sql', name), 'utf8'),
}));

export async function applySuppressionMigrations(sql: SqlExecutor): Promise<void> {
  for (const migration of SUPPRESSION_MIGRATIONS) await sql.query(migration.sql);
}
