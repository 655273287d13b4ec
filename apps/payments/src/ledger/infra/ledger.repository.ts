import type { SqlExecutor } from '@suite/coordination';
import {
  ACCOUNTS,
  accountCode,
  assertBalanced,
  type AccountName,
  type JournalEntry,
} from '../domain/journal-entry';
import { ENSURE_ACCOUNTS, INSERT_ENTRY, INSERT_POSTINGS } from './ledger.sql';

const kindOf = (name: AccountName) =>
  Object.values(ACCOUNTS).find((account) => account.name === name)?.kind ?? 'asset';

export class LedgerRepository {
  // Books the entry in the caller's transaction. Returns false when its source was
  // booked before (a replayed settlement), in which case nothing is written.
  async post(sql: SqlExecutor, entry: JournalEntry): Promise<boolean> {
    assertBalanced(entry);
    const accounts = [...new Set(entry.postings.map((p) => `${p.account}|${p.currency}`))].map(
      (pair) => pair.split('|') as [AccountName, string],
    );
    await sql.query(ENSURE_ACCOUNTS, [
      accounts.map(([name, currency]) => accountCode(name, currency)),
      accounts.map(([name]) => name),
      accounts.map(([name]) => kindOf(name)),
      accounts.map(([, currency]) => currency),
    ]);
    const inserted = await sql.query<{ id: string }>(INSERT_ENTRY, [
      entry.source,
      entry.kind,
      entry.paymentId,
    ]);
    const id = inserted.rows[0]?.id;
    if (id === undefined) return false;
    await sql.query(INSERT_POSTINGS, [
      id,
      entry.postings.map((p) => accountCode(p.account, p.currency)),
      entry.postings.map((p) => p.currency),
      entry.postings.map((p) => String(p.amountMinor)),
    ]);
    return true;
  }
}
