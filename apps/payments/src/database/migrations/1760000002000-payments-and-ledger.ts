import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed.
export class PaymentsAndLedger1760000002000 implements MigrationInterface {
  name = 'PaymentsAndLedger1760000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table payments (
        id                 uuid        primary key,
        -- the request that created it: one payment per (scope, key), however often retried
        idempotency_scope  text        not null,
        idempotency_key    text        not null,
        -- the key the PSP sees; stable across every retry and the reconciliation job
        psp_key            text        not null,
        amount_minor       bigint      not null,
        currency           text        not null,
        source_token       text        not null,
        merchant_reference text        not null,
        status             text        not null,
        psp_charge_id      text,
        failure_reason     text,
        refunded_minor     bigint      not null default 0,
        created_at         timestamptz not null,
        updated_at         timestamptz not null,
        constraint payments_idempotency_key unique (idempotency_scope, idempotency_key),
        constraint payments_psp_key unique (psp_key),
        constraint payments_amount_check check (amount_minor > 0),
        constraint payments_status_check check (status in
          ('pending', 'processing', 'captured', 'failed', 'partially_refunded', 'refunded')),
        constraint payments_refunded_check check (refunded_minor between 0 and amount_minor)
      )`);
    // The reconciliation job's scan: unsettled payments, oldest first.
    await queryRunner.query(`
      create index payments_unsettled_idx on payments (updated_at)
        where status in ('pending', 'processing')`);
    await queryRunner.query(`
      create table payment_refunds (
        id                uuid        primary key,
        payment_id        uuid        not null references payments (id),
        idempotency_scope text        not null,
        idempotency_key   text        not null,
        amount_minor      bigint      not null,
        status            text        not null,
        psp_refund_id     text,
        failure_reason    text,
        created_at        timestamptz not null,
        updated_at        timestamptz not null,
        constraint payment_refunds_idempotency_key unique (idempotency_scope, idempotency_key),
        constraint payment_refunds_amount_check check (amount_minor > 0),
        constraint payment_refunds_status_check check (status in ('pending', 'succeeded', 'failed'))
      )`);

    await queryRunner.query(`
      create table ledger_accounts (
        code     text primary key,
        name     text not null,
        kind     text not null,
        currency text not null,
        constraint ledger_accounts_kind_check check (kind in ('asset', 'liability'))
      )`);
    await queryRunner.query(`
      create table ledger_journal_entries (
        id         uuid        primary key default gen_random_uuid(),
        -- capture:<payment id> or refund:<refund id>: the same fact is never booked twice
        source     text        not null,
        kind       text        not null,
        payment_id uuid        not null references payments (id),
        created_at timestamptz not null default now(),
        constraint ledger_journal_entries_source_key unique (source),
        constraint ledger_journal_entries_kind_check check (kind in ('capture', 'refund'))
      )`);
    await queryRunner.query(`
      create table ledger_postings (
        id               bigserial primary key,
        journal_entry_id uuid      not null references ledger_journal_entries (id),
        account_code     text      not null references ledger_accounts (code),
        currency         text      not null,
        -- minor units: + debit, - credit
        amount_minor     bigint    not null,
        constraint ledger_postings_amount_check check (amount_minor <> 0)
      )`);
    await queryRunner.query(
      `create index ledger_postings_entry_idx on ledger_postings (journal_entry_id)`,
    );
    // The SQL side of "every entry sums to zero": checked once per entry at commit, after
    // all its postings are in, so a half-written or unbalanced entry cannot commit.
    await queryRunner.query(`
      create function ledger_entry_must_balance() returns trigger
      language plpgsql as $$
      begin
        if exists (
          select 1 from ledger_postings
           where journal_entry_id = new.journal_entry_id
           group by currency
          having sum(amount_minor) <> 0
        ) then
          raise exception 'journal entry % does not sum to zero', new.journal_entry_id
            using errcode = 'check_violation';
        end if;
        return null;
      end $$`);
    await queryRunner.query(`
      create constraint trigger ledger_postings_balanced
        after insert or update on ledger_postings
        deferrable initially deferred
        for each row execute function ledger_entry_must_balance()`);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
