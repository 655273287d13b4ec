import type { MigrationInterface, QueryRunner } from 'typeorm';

// The held-seat cap counts a user's active holds in one event on every POST /holds.
export class HoldsByUserEvent1761000005000 implements MigrationInterface {
  name = 'HoldsByUserEvent1761000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `create index if not exists holds_active_by_user_event on holds (user_id, event_id) where status = 'active'`,
    );
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
