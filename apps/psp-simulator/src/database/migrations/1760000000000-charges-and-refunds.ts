import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed. The unique idempotency keys are what make a
// repeated request unable to charge or refund twice, even under concurrent duplicates.
export class ChargesAndRefunds1760000000000 implements MigrationInterface {
  name = 'ChargesAndRefunds1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table charges (
        id                 text        primary key,
        idempotency_key    text        not null,
        amount_minor       bigint      not null,
        currency           text        not null,
        source_token       text        not null,
        merchant_reference text        not null,
        status             text        not null,
        refunded_minor     bigint      not null default 0,
        callback_url       text,
        created_at         timestamptz not null default now(),
        constraint charges_idempotency_key_key unique (idempotency_key),
        constraint charges_amount_check check (amount_minor > 0),
        constraint charges_status_check check (status in ('succeeded', 'declined')),
        -- never refund more than was charged, nor anything of a declined charge
        constraint charges_refunded_check check (
          refunded_minor >= 0 and refunded_minor <= amount_minor
          and (status = 'succeeded' or refunded_minor = 0))
      )`);
    await queryRunner.query(
      `create index charges_merchant_reference_idx on charges (merchant_reference)`,
    );
    await queryRunner.query(`
      create table refunds (
        id              text        primary key,
        idempotency_key text        not null,
        charge_id       text        not null references charges (id),
        amount_minor    bigint      not null,
        created_at      timestamptz not null default now(),
        constraint refunds_idempotency_key_key unique (idempotency_key),
        constraint refunds_amount_check check (amount_minor > 0)
      )`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
