// Double-entry bookkeeping. A journal entry is a set of postings whose signed amounts
// (debit +, credit -) sum to zero in every currency. An entry that does not balance is a
// bug, never a business outcome, so building one throws. The database checks the same
// rule again at commit (a deferred constraint trigger).

export type AccountKind = 'asset' | 'liability';

// The accounts of one currency. psp_clearing: what the PSP owes us for captured charges.
// merchant_payable: what we owe the merchant for them.
export const ACCOUNTS = {
  pspClearing: { name: 'psp_clearing', kind: 'asset' },
  merchantPayable: { name: 'merchant_payable', kind: 'liability' },
} as const satisfies Record<string, { name: string; kind: AccountKind }>;

export type AccountName = (typeof ACCOUNTS)[keyof typeof ACCOUNTS]['name'];

export interface Posting {
  account: AccountName;
  currency: string;
  // Minor units; + debit, - credit; never zero.
  amountMinor: number;
}

export interface JournalEntry {
  // What the entry records, unique: one capture entry per payment, one per refund.
  source: string;
  kind: 'capture' | 'refund';
  paymentId: string;
  postings: readonly Posting[];
}

export class UnbalancedJournalEntryError extends Error {
  readonly code = 'LEDGER_UNBALANCED_ENTRY';
}

export function accountCode(account: AccountName, currency: string): string {
  return `${account}:${currency}`;
}

export function assertBalanced(entry: JournalEntry): JournalEntry {
  if (entry.postings.length < 2) {
    throw new UnbalancedJournalEntryError(`${entry.source}: an entry needs at least two postings`);
  }
  const sums = new Map<string, number>();
  for (const posting of entry.postings) {
    if (!Number.isSafeInteger(posting.amountMinor) || posting.amountMinor === 0) {
      throw new UnbalancedJournalEntryError(
        `${entry.source}: posting amounts must be non-zero whole minor units`,
      );
    }
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0) + posting.amountMinor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) {
      throw new UnbalancedJournalEntryError(`${entry.source}: ${currency} postings sum to ${sum}`);
    }
  }
  return entry;
}

export function captureEntry(payment: {
  id: string;
  amountMinor: number;
  currency: string;
}): JournalEntry {
  return assertBalanced({
    source: `capture:${payment.id}`,
    kind: 'capture',
    paymentId: payment.id,
    postings: [
      { account: 'psp_clearing', currency: payment.currency, amountMinor: payment.amountMinor },
      {
        account: 'merchant_payable',
        currency: payment.currency,
        amountMinor: -payment.amountMinor,
      },
    ],
  });
}

export function refundEntry(refund: {
  id: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
}): JournalEntry {
  return assertBalanced({
    source: `refund:${refund.id}`,
    kind: 'refund',
    paymentId: refund.paymentId,
    postings: [
      { account: 'merchant_payable', currency: refund.currency, amountMinor: refund.amountMinor },
      { account: 'psp_clearing', currency: refund.currency, amountMinor: -refund.amountMinor },
    ],
  });
}
