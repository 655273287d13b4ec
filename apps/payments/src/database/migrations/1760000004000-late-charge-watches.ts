import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed.
export class LateChargeWatches1760000004000 implements MigrationInterface {
  name = 'LateChargeWatches1760000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A payment failed without the PSP's own word (no charge found, every attempt answered
    // 5xx) after a charge request was sent: the PSP may still act on that request. The
    // late-charge sweep asks it again by key until the horizon after `failed_at` is past.
    // `ended_at` set: the watch is over (`outcome` says why).
    await queryRunner.query(`
      create table late_charge_watches (
        payment_id    uuid        primary key references payments (id),
        failed_at     timestamptz not null,
        next_check_at timestamptz not null,
        checks        integer     not null default 0,
        ended_at      timestamptz,
        outcome       text,
        constraint late_charge_watches_outcome_check check (
          (ended_at is null and outcome is null) or
          (ended_at is not null and outcome in ('no-charge', 'late-charge', 'declined')))
      )`);
    // The sweep's scan: open watches, the most overdue first.
    await queryRunner.query(`
      create index late_charge_watches_due_idx on late_charge_watches (next_check_at)
        where ended_at is null`);
    // Payments failed that way before this table existed are checked once more, at once;
    // past the horizon that one check ends their watch.
    await queryRunner.query(`
      insert into late_charge_watches (payment_id, failed_at, next_check_at)
      select id, updated_at, now() from payments
       where status = 'failed' and charge_attempted_at is not null and psp_charge_id is null
         and (failure_reason is null or failure_reason not like 'psp_refused:%')`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
