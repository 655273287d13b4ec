// What the outside world saw of a crawl: every request by page key, the arrivals at each host,
// and each arrival that came sooner after the previous one at that host than the politeness
// rule allows. Pure bookkeeping; the caller passes the arrival time in, and how late it may
// be (the simulator's own stall when it stamped it).
import type { CrawlVerdict, RateViolation } from '@suite/contracts';

const EXAMPLES = 5;

interface Arrival {
  atMs: number;
  stallMs: number;
}

export class FetchLedger {
  private readonly fetchesByKey = new Map<string, number>();
  private readonly lastArrivalByHost = new Map<string, Arrival>();
  private readonly violations: RateViolation[] = [];
  private readonly withinStall: RateViolation[] = [];
  private violationCount = 0;
  private withinStallCount = 0;
  private requests = 0;
  private robotsRequests = 0;
  private smallestGapMs: number | null = null;

  constructor(private readonly minIntervalMs: number) {}

  // Call on arrival, before any delay the host adds: politeness is about when requests come.
  // stallMs: the request may have reached the host up to this long before atMs (the stamp
  // waited for the simulator's busy event loop); 0 when the stamp is exact.
  arrive(host: string, atMs: number, stallMs = 0): void {
    this.requests += 1;
    const last = this.lastArrivalByHost.get(host);
    this.lastArrivalByHost.set(host, { atMs, stallMs });
    if (last === undefined) return;
    const gap = atMs - last.atMs;
    if (this.smallestGapMs === null || gap < this.smallestGapMs) this.smallestGapMs = gap;
    if (gap >= this.minIntervalMs) return;
    // The two came at most gap + (the first one's stall) apart: if even that is short, the
    // crawler broke the rule; otherwise the simulator's stall may have bunched the stamps.
    const example = { host, gapMs: gap, simulatorStallMs: last.stallMs };
    if (gap + last.stallMs < this.minIntervalMs) {
      this.violationCount += 1;
      if (this.violations.length < EXAMPLES) this.violations.push(example);
    } else {
      this.withinStallCount += 1;
      if (this.withinStall.length < EXAMPLES) this.withinStall.push(example);
    }
  }

  fetchedPage(key: string): void {
    this.fetchesByKey.set(key, (this.fetchesByKey.get(key) ?? 0) + 1);
  }

  fetchedRobots(): void {
    this.robotsRequests += 1;
  }

  fetchesOf(key: string): number {
    return this.fetchesByKey.get(key) ?? 0;
  }

  verdict(reachable: ReadonlySet<string>): CrawlVerdict {
    const missed = [...reachable].filter((key) => !this.fetchesByKey.has(key));
    const unexpected = [...this.fetchesByKey.keys()].filter((key) => !reachable.has(key));
    const repeated = [...this.fetchesByKey.entries()].filter(([, n]) => n > 1);
    return {
      reachable: reachable.size,
      fetchedPages: this.fetchesByKey.size,
      requests: this.requests,
      robotsRequests: this.robotsRequests,
      missed: missed.length,
      duplicates: repeated.reduce((sum, [, n]) => sum + n - 1, 0),
      unexpected: unexpected.length,
      rateViolations: this.violationCount,
      gapsWithinSimulatorStall: this.withinStallCount,
      smallestGapMs: this.smallestGapMs,
      examples: {
        missed: missed.slice(0, EXAMPLES),
        duplicates: repeated.slice(0, EXAMPLES).map(([key, n]) => `${key} x${n}`),
        unexpected: unexpected.slice(0, EXAMPLES),
        violations: [...this.violations],
        gapsWithinSimulatorStall: [...this.withinStall],
      },
    };
  }
}
