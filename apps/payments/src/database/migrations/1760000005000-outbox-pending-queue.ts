import { OUTBOX_MIGRATIONS } from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The outbox's pending queue (the library's 002 file, ADR 0019) for databases created before
// it: rows pending now stay pending. The library's SQL is idempotent, so a database that got
// it with the coordination tables is left as it is.
export class OutboxPendingQueue1760000005000 implements MigrationInterface {
  name = 'OutboxPendingQueue1760000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const migration = OUTBOX_MIGRATIONS.find((m) => m.name === 'outbox/002_outbox_pending.sql');
    if (!migration) throw new Error('the outbox library has no 002_outbox_pending.sql');
    await queryRunner.query(migration.sql);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
