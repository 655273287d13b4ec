import { SAGA_MIGRATIONS } from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The saga library's quarantine columns (its 002 file) for databases created before it.
// The library's SQL is idempotent, so a database that got it with the coordination tables
// is left as it is.
export class SagaQuarantine1761000004000 implements MigrationInterface {
  name = 'SagaQuarantine1761000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const migration = SAGA_MIGRATIONS.find((m) => m.name === '002_saga_quarantine.sql');
    if (!migration) throw new Error('the saga library has no 002_saga_quarantine.sql');
    await queryRunner.query(migration.sql);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
