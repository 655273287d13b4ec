import { FENCING_SCHEMA_SQL, OUTBOX_MIGRATIONS } from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The coordination library's tables, in the library's own forward-only SQL:
// coordination_fences and the epoch sequence (selection: the closer's fenced close and
// its lease tokens), outbox_messages (agreement: AuctionClosed).
export class CoordinationTables1761000001000 implements MigrationInterface {
  name = 'CoordinationTables1761000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(FENCING_SCHEMA_SQL);
    for (const migration of OUTBOX_MIGRATIONS) await queryRunner.query(migration.sql);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
