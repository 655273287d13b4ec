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
    expect(verdict.examples.violations).toEqual([{ host: 'a', gapMs: 50, simulatorStallMs: 0 }]);
  });

  it('counts-a-short-gap-the-simulators-own-stall-explains-apart-from-violations', () => {
    const ledger = new FetchLedger(100);
    // Stamped 40 ms late (its loop was busy): the two came at most 60 + 40 ms apart.
    ledger.arrive('a', 0, 40);
    ledger.arrive('a', 60, 1);
    // A stall too short to explain the gap: 30 + 1 < 100, a violation whatever the stamps.
    ledger.arrive('a', 90, 0.5);
    // Two requests at once stay a violation even after a 50 ms stall.
    ledger.arrive('b', 0, 50);
    ledger.arrive('b', 2, 0);
    const verdict = ledger.verdict(new Set());
    expect(verdict.rateViolations).toBe(2);
    expect(verdict.gapsWithinSimulatorStall).toBe(1);
    expect(verdict.smallestGapMs).toBe(2);
    expect(verdict.examples.gapsWithinSimulatorStall).toEqual([
      { host: 'a', gapMs: 60, simulatorStallMs: 40 },
    ]);
    expect(verdict.examples.violations).toEqual([
      { host: 'a', gapMs: 30, simulatorStallMs: 1 },
      { host: 'b', gapMs: 2, simulatorStallMs: 50 },
    ]);
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
