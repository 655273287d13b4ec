// What the outside world saw of a crawl: every request by page key, the arrivals at each host,
// and each arrival that came sooner after the previous one at that host than the politeness
// rule allows. Pure bookkeeping; the caller passes the arrival time in.
import type { CrawlVerdict, RateViolation } from '@suite/contracts';

const EXAMPLES = 5;

export class FetchLedger {
  private readonly fetchesByKey = new Map<string, number>();
  private readonly lastArrivalByHost = new Map<string, number>();
  private readonly violations: RateViolation[] = [];
  private violationCount = 0;
  private requests = 0;
  private robotsRequests = 0;
  private smallestGapMs: number | null = null;

  constructor(private readonly minIntervalMs: number) {}

  // Call on arrival, before any delay the host adds: politeness is about when requests come.
  arrive(host: string, atMs: number): void {
    this.requests += 1;
    const last = this.lastArrivalByHost.get(host);
    this.lastArrivalByHost.set(host, atMs);
    if (last === undefined) return;
    const gap = atMs - last;
    if (this.smallestGapMs === null || gap < this.smallestGapMs) this.smallestGapMs = gap;
    if (gap < this.minIntervalMs) {
      this.violationCount += 1;
      if (this.violations.length < EXAMPLES) this.violations.push({ host, gapMs: gap });
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
      smallestGapMs: this.smallestGapMs,
      examples: {
        missed: missed.slice(0, EXAMPLES),
        duplicates: repeated.slice(0, EXAMPLES).map(([key, n]) => `${key} x${n}`),
        unexpected: unexpected.slice(0, EXAMPLES),
        violations: [...this.violations],
      },
    };
  }
}
