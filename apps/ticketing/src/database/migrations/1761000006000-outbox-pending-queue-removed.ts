import { OUTBOX_MIGRATIONS } from '@suite/coordination';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// Takes the outbox's pending-queue table and triggers out of a database that got them (ADR
// 0019: measured slower than the claim on the pending index) and restores the partial
// indexes; on any other database it changes nothing. The library's SQL is idempotent.
export class OutboxPendingQueueRemoved1761000006000 implements MigrationInterface {
  name = 'OutboxPendingQueueRemoved1761000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const migration = OUTBOX_MIGRATIONS.find(
      (m) => m.name === 'outbox/002_outbox_pending_queue_removed.sql',
    );
    if (!migration)
      throw new Error('the outbox library has no 002_outbox_pending_queue_removed.sql');
    await queryRunner.query(migration.sql);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
