import type { SqlExecutor } from '@suite/coordination';

// Counts violations of the payments invariants after any run. Framework-free: it needs
// only a connection to the payments database and, to count charges at the card
// processor, one to the PSP simulator's. Every count must be zero.
export interface PaymentInvariantReport {
  // Journal entries whose postings do not sum to zero (per currency).
  unbalancedEntries: number;
  // Currencies whose postings do not sum to zero over the whole ledger.
  unbalancedCurrencies: number;
  // Payments with more than one capture entry in the ledger.
  paymentsBookedTwice: number;
  // Captured (or refunded) payments without a capture entry, or failed ones with any entry.
  ledgerMismatches: number;
  // Payments with more than one succeeded charge at the PSP. Null without a PSP connection.
  paymentsChargedTwice: number | null;
  // Succeeded PSP charges per payment, for reports: payment id -> charges.
  pspChargesPerPayment: Record<string, number> | null;
}

const count = async (sql: SqlExecutor, text: string): Promise<number> =>
  Number((await sql.query<{ n: string }>(text)).rows[0]?.n ?? 0);

export async function verifyPaymentInvariants(
  payments: SqlExecutor,
  psp?: SqlExecutor,
): Promise<PaymentInvariantReport> {
  const unbalancedEntries = await count(
    payments,
    `select count(*) as n from (
       select journal_entry_id from ledger_postings
        group by journal_entry_id, currency having sum(amount_minor) <> 0) bad`,
  );
  const unbalancedCurrencies = await count(
    payments,
    `select count(*) as n from (
       select currency from ledger_postings group by currency having sum(amount_minor) <> 0) bad`,
  );
  const paymentsBookedTwice = await count(
    payments,
    `select count(*) as n from (
       select payment_id from ledger_journal_entries where kind = 'capture'
        group by payment_id having count(*) > 1) bad`,
  );
  const ledgerMismatches = await count(
    payments,
    `select count(*) as n from payments p
      where (p.status in ('captured', 'partially_refunded', 'refunded')
             and not exists (select 1 from ledger_journal_entries j
                              where j.payment_id = p.id and j.kind = 'capture'))
         or (p.status in ('failed', 'pending', 'processing')
             and exists (select 1 from ledger_journal_entries j where j.payment_id = p.id))`,
  );
  if (!psp) {
    return {
      unbalancedEntries,
      unbalancedCurrencies,
      paymentsBookedTwice,
      ledgerMismatches,
      paymentsChargedTwice: null,
      pspChargesPerPayment: null,
    };
  }
  // Payments send their own id as the PSP's merchant reference. Only this database's
  // payments count: the PSP may serve other merchants (or other test runs).
  const ids = (await payments.query<{ id: string }>(`select id from payments`)).rows.map(
    (row) => row.id,
  );
  const charges = await psp.query<{ merchant_reference: string; n: string }>(
    `select merchant_reference, count(*) as n from charges
      where status = 'succeeded' and merchant_reference = any($1::text[])
      group by merchant_reference`,
    [ids],
  );
  const pspChargesPerPayment = Object.fromEntries(
    charges.rows.map((row) => [row.merchant_reference, Number(row.n)]),
  );
  return {
    unbalancedEntries,
    unbalancedCurrencies,
    paymentsBookedTwice,
    ledgerMismatches,
    paymentsChargedTwice: Object.values(pspChargesPerPayment).filter((n) => n > 1).length,
    pspChargesPerPayment,
  };
}
