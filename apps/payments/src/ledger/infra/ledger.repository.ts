import type { SqlExecutor } from '@suite/coordination';
import {
  ACCOUNTS,
  accountCode,
  assertBalanced,
  type AccountName,
  type JournalEntry,
} from '../domain/journal-entry';

const kindOf = (name: AccountName) =>
  Object.values(ACCOUNTS).find((account) => account.name === name)?.kind ?? 'asset';

// The double-entry ledger, in hand-written SQL on the caller's executor.
export class LedgerRepository {
  // Books the entry in the caller's transaction. Returns false when its source was
  // booked before (a replayed settlement), in which case nothing is written.
  async post(sql: SqlExecutor, entry: JournalEntry): Promise<boolean> {
    assertBalanced(entry);
    const accounts = [...new Set(entry.postings.map((p) => `${p.account}|${p.currency}`))].map(
      (pair) => pair.split('|') as [AccountName, string],
    );
    // Accounts appear on first use, one per (name, currency).
    await sql.query(
      `insert into ledger_accounts (code, name, kind, currency)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])
       on conflict (code) do nothing`,
      [
        accounts.map(([name, currency]) => accountCode(name, currency)),
        accounts.map(([name]) => name),
        accounts.map(([name]) => kindOf(name)),
        accounts.map(([, currency]) => currency),
      ],
    );
    // No row when the source is already booked: the same fact is never posted twice.
    const inserted = await sql.query<{ id: string }>(
      `insert into ledger_journal_entries (source, kind, payment_id)
       values ($1, $2, $3)
       on conflict (source) do nothing
       returning id`,
      [entry.source, entry.kind, entry.paymentId],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) return false;
    await sql.query(
      `insert into ledger_postings (journal_entry_id, account_code, currency, amount_minor)
       select $1, * from unnest($2::text[], $3::text[], $4::bigint[])`,
      [
        id,
        entry.postings.map((p) => accountCode(p.account, p.currency)),
        entry.postings.map((p) => p.currency),
        entry.postings.map((p) => String(p.amountMinor)),
      ],
    );
    return true;
  }
}
