import {
  FENCING_SCHEMA_SQL,
  OUTBOX_MIGRATIONS,
  SAGA_MIGRATIONS,
  SUPPRESSION_MIGRATIONS,
} from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The coordination library's tables, by mechanism, in the library's own forward-only SQL:
//   fencing      coordination_fences and the epoch sequence (selection)
//   suppression  idempotency_keys and inbox_messages
//   outbox       outbox_messages (agreement)
//   saga         saga_instances (agreement)
export type CoordinationTables = 'fencing' | 'suppression' | 'outbox' | 'saga';

const SQL: Record<CoordinationTables, () => readonly string[]> = {
  fencing: () => [FENCING_SCHEMA_SQL],
  suppression: () => SUPPRESSION_MIGRATIONS.map((m) => m.sql),
  outbox: () => OUTBOX_MIGRATIONS.map((m) => m.sql),
  saga: () => SAGA_MIGRATIONS.map((m) => m.sql),
};
// Applied in this order whatever order a service lists them in.
const ORDER: readonly CoordinationTables[] = ['fencing', 'suppression', 'outbox', 'saga'];

export type MigrationClass = new () => MigrationInterface;

// A service's first migration, which creates the tables of the mechanisms it uses. TypeORM
// records a migration by its name and orders by the 13-digit timestamp that ends it, so the
// class is named CoordinationTables<timestamp>, as each service's migration always was.
export function coordinationTablesMigration(
  timestamp: number,
  tables: readonly CoordinationTables[],
): MigrationClass {
  if (!/^\d{13}$/.test(String(timestamp))) {
    throw new Error(`a migration timestamp has 13 digits (ms since the epoch), not ${timestamp}`);
  }
  const name = `CoordinationTables${timestamp}`;
  const statements = ORDER.filter((part) => tables.includes(part)).flatMap((part) => SQL[part]());
  const migration = class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const sql of statements) await queryRunner.query(sql);
    }

    async down(): Promise<void> {
      throw new Error('forward-only migration');
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
