// The ledger's hot-path SQL, in one place for review.

// Accounts appear on first use, one per (name, currency).
export const ENSURE_ACCOUNTS = `
  insert into ledger_accounts (code, name, kind, currency)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])
  on conflict (code) do nothing`;

// No row when the source is already booked: the same fact is never posted twice.
export const INSERT_ENTRY = `
  insert into ledger_journal_entries (source, kind, payment_id)
  values ($1, $2, $3)
  on conflict (source) do nothing
  returning id`;

export const INSERT_POSTINGS = `
  insert into ledger_postings (journal_entry_id, account_code, currency, amount_minor)
  select $1, * from unnest($2::text[], $3::text[], $4::bigint[])`;
