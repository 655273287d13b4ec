import {
  assertBalanced,
  captureEntry,
  refundEntry,
  UnbalancedJournalEntryError,
} from './journal-entry';

const sum = (postings: readonly { amountMinor: number }[]) =>
  postings.reduce((total, p) => total + p.amountMinor, 0);

describe('journal entries', () => {
  it('balances a capture: the PSP owes us what we owe the merchant', () => {
    const entry = captureEntry({ id: 'p1', amountMinor: 1250, currency: 'EUR' });
    expect(entry.postings).toEqual([
      { account: 'psp_clearing', currency: 'EUR', amountMinor: 1250 },
      { account: 'merchant_payable', currency: 'EUR', amountMinor: -1250 },
    ]);
    expect(sum(entry.postings)).toBe(0);
  });

  it('balances a refund as the mirror of a capture', () => {
    const entry = refundEntry({ id: 'r1', paymentId: 'p1', amountMinor: 500, currency: 'EUR' });
    expect(entry.source).toBe('refund:r1');
    expect(sum(entry.postings)).toBe(0);
  });

  it('refuses an entry that does not sum to zero', () => {
    expect(() =>
      assertBalanced({
        source: 'capture:p2',
        kind: 'capture',
        paymentId: 'p2',
        postings: [
          { account: 'psp_clearing', currency: 'EUR', amountMinor: 100 },
          { account: 'merchant_payable', currency: 'EUR', amountMinor: -99 },
        ],
      }),
    ).toThrow(new UnbalancedJournalEntryError('capture:p2: EUR postings sum to 1'));
  });

  it('refuses an entry that balances only across currencies', () => {
    expect(() =>
      assertBalanced({
        source: 'capture:p3',
        kind: 'capture',
        paymentId: 'p3',
        postings: [
          { account: 'psp_clearing', currency: 'EUR', amountMinor: 100 },
          { account: 'merchant_payable', currency: 'USD', amountMinor: -100 },
        ],
      }),
    ).toThrow('EUR postings sum to 100');
  });

  it('refuses zero and fractional postings', () => {
    expect(() => captureEntry({ id: 'p4', amountMinor: 0, currency: 'EUR' })).toThrow(
      'non-zero whole minor units',
    );
    expect(() => captureEntry({ id: 'p5', amountMinor: 1.5, currency: 'EUR' })).toThrow(
      'non-zero whole minor units',
    );
  });
});
