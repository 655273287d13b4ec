import { OUTBOX_MIGRATIONS, SUPPRESSION_MIGRATIONS } from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The coordination library's tables, in the library's own forward-only SQL:
// idempotency_keys and inbox_messages (suppression), outbox_messages (agreement).
export class CoordinationTables1760000001000 implements MigrationInterface {
  name = 'CoordinationTables1760000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const migration of [...SUPPRESSION_MIGRATIONS, ...OUTBOX_MIGRATIONS]) {
      await queryRunner.query(migration.sql);
    }
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
