import {
  FENCING_SCHEMA_SQL,
  OUTBOX_MIGRATIONS,
  SAGA_MIGRATIONS,
  SUPPRESSION_MIGRATIONS,
} from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The coordination library's tables, in its own forward-only SQL: fencing epochs and
// fences (selection), idempotency keys and inbox (suppression), outbox and saga
// instances (agreement).
export class CoordinationTables1761000001000 implements MigrationInterface {
  name = 'CoordinationTables1761000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(FENCING_SCHEMA_SQL);
    for (const migration of [...SUPPRESSION_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...SAGA_MIGRATIONS]) {
      await queryRunner.query(migration.sql);
    }
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
