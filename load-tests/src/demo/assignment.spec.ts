import { assignmentViolations, type AssignmentResult } from './assignment';
import { formatReport, totalViolations, type DemoReport } from './report';

const clean: AssignmentResult = {
  scheduler: {
    instances: 2,
    oneOff: 200,
    cronJobs: 10,
    refusedCreates: {},
    killedAfterS: 6.5,
    horizonS: 9,
    report: {
      jobs: 210,
      expectedFires: 280,
      appliedFires: 330,
      deliveries: 331,
      violations: { missed: 0, appliedTwice: 0, early: 0, unscheduled: 0, staleOwnerWrites: 0 },
      total: 0,
    },
    deliveredBy: { a: 259, b: 71 },
    lag: { p50: 78, p99: 3052, max: 3320 },
  },
  crawl: {
    workers: 2,
    hosts: 12,
    minIntervalMs: 100,
    seconds: 8,
    finished: true,
    boundPerSecond: 120,
    verdict: {
      reachable: 520,
      fetchedPages: 520,
      requests: 532,
      robotsRequests: 12,
      missed: 0,
      duplicates: 0,
      unexpected: 0,
      rateViolations: 0,
      gapsWithinSimulatorStall: 0,
      smallestGapMs: 103.8,
      examples: {
        missed: [],
        duplicates: [],
        unexpected: [],
        violations: [],
        gapsWithinSimulatorStall: [],
      },
    },
  },
  elapsedS: 25.8,
};

// The parts of the demo's report the assignment sections do not touch.
const base: Omit<DemoReport, 'violations'> = {
  buyers: 0,
  seatPool: 0,
  holds: {},
  checkouts: {},
  retries: { sent: 0, sameOrder: 0 },
  refusals: { answered: {}, gaveUp: {} },
  restarts: [],
  seatsSold: 0,
  ticketsIssued: 0,
  duplicateSeats: 0,
  abandonedHoldsFreed: { abandoned: 0, seatsStillHeld: 0 },
  money: {
    currency: 'EUR',
    captured: 0,
    refunded: 0,
    ticketsValue: 0,
    balanced: true,
    doubleCharges: 0,
    unbalancedEntries: 0,
  },
  sagas: {},
  settledInS: 0,
  events: [],
  eventExamples: {},
  moneyTrail: {
    orders: 0,
    charges: 0,
    charged: 0,
    refunded: 0,
    keptWithoutTickets: 0,
    ordersKeepingMoney: 0,
    examples: {},
  },
  auction: {
    auctionId: 'none',
    bidsSent: 0,
    accepted: 0,
    rejected: {},
    winner: null,
    highestAccepted: 0,
    closedAfterEndMs: null,
  },
  burst: {
    sent: 0,
    admitted: 0,
    refused: 0,
    retryAfterS: null,
    rateLimitHeader: null,
    policyHeader: null,
  },
  latencies: {},
  elapsedS: 1,
};

const reportOf = (r: AssignmentResult): DemoReport => ({
  ...base,
  scheduler: r.scheduler,
  crawl: r.crawl,
  assignmentS: r.elapsedS,
  violations: assignmentViolations(r),
});

describe("the demo's scheduler and crawler sections", () => {
  it('count nothing on a clean run and print both sections', () => {
    const report = reportOf(clean);
    expect(totalViolations(report)).toBe(0);
    const text = formatReport(report);
    expect(text).toContain('280 due up to 9.0 s in, 280 of them applied');
    expect(text).toContain('missed 0, applied twice 0, early 0');
    expect(text).toContain('lag          p50 78 ms, p99 3052 ms');
    expect(text).toContain('520 fetched of 520 reachable');
    expect(text).toContain('66.5/s against a bound of 120/s (55%); rate violations 0');
    expect(text).toContain('finished yes');
  });

  it.each([
    ['a missed fire', { scheduler: { report: { violations: { missed: 1 } } } }, 'firesMissed'],
    [
      'a fire applied twice',
      { scheduler: { report: { violations: { appliedTwice: 2 } } } },
      'firesAppliedTwice',
    ],
    ['an early fire', { scheduler: { report: { violations: { early: 1 } } } }, 'firesEarly'],
    ['a refused job', { scheduler: { refusedCreates: { '429': 3 } } }, 'jobsRefused'],
    ['a page fetched twice', { crawl: { verdict: { duplicates: 1 } } }, 'pagesFetchedTwice'],
    ['a host rate broken', { crawl: { verdict: { rateViolations: 4 } } }, 'hostRateViolations'],
    ['a crawl that did not finish', { crawl: { finished: false } }, 'crawlUnfinished'],
  ])('make the exit code non-zero on %s', (_, change, key) => {
    const broken = merge(clean, change) as AssignmentResult;
    const violations = assignmentViolations(broken);
    expect(violations[key]).toBeGreaterThan(0);
    expect(totalViolations(reportOf(broken))).toBeGreaterThan(0);
  });
});

function merge(target: unknown, change: unknown): unknown {
  if (typeof change !== 'object' || change === null || typeof target !== 'object') return change;
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [k, v] of Object.entries(change)) out[k] = merge(out[k], v);
  return out;
}
