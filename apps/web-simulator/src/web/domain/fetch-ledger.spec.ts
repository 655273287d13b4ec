import { FetchLedger } from './fetch-ledger';

describe('fetch ledger', () => {
  it('counts-arrivals-closer-than-the-interval-per-host-only', () => {
    const ledger = new FetchLedger(100);
    ledger.arrive('a', 0);
    ledger.arrive('b', 10); // another host: no violation
    ledger.arrive('a', 100); // exactly the interval: allowed
    ledger.arrive('a', 150); // 50 ms after the previous one
    const verdict = ledger.verdict(new Set());
    expect(verdict.rateViolations).toBe(1);
    expect(verdict.smallestGapMs).toBe(50);
    expect(verdict.examples.violations).toEqual([{ host: 'a', gapMs: 50 }]);
  });

  it('finds-missed-duplicated-and-unexpected-pages', () => {
    const ledger = new FetchLedger(0);
    ledger.fetchedPage('h/1');
    ledger.fetchedPage('h/1');
    ledger.fetchedPage('h/1');
    ledger.fetchedPage('h/private');
    const verdict = ledger.verdict(new Set(['h/1', 'h/2']));
    expect(verdict).toMatchObject({ missed: 1, duplicates: 2, unexpected: 1, fetchedPages: 2 });
  });
});
