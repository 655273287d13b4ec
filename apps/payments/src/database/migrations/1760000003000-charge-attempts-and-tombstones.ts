import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed.
export class ChargeAttemptsAndTombstones1760000003000 implements MigrationInterface {
  name = 'ChargeAttemptsAndTombstones1760000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // When the last PSP charge call for the payment began, committed before the call: the
    // reconciler may call a payment "not charged" only once no attempt can still be in flight.
    await queryRunner.query(`alter table payments add column charge_attempted_at timestamptz`);
    // A saga that compensates a capture which never arrived leaves a failed, never-charged
    // row under the capture's key, so the late capture finds it and charges nothing. It has
    // no amount of its own: zero is allowed for exactly that row and no other.
    await queryRunner.query(`
      alter table payments
        drop constraint payments_amount_check,
        add constraint payments_amount_check check (
          amount_minor > 0 or (amount_minor = 0 and status = 'failed' and psp_charge_id is null))`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
