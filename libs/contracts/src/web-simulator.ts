// What the web simulator answers at GET /web/verdict: its account of a crawl as the outside
// world saw it. The simulator computes it; tests, benches, chaos runs and the demo read it.

export interface RateViolation {
  host: string;
  gapMs: number;
}

export interface CrawlVerdict {
  reachable: number;
  fetchedPages: number;
  requests: number;
  robotsRequests: number;
  // Reachable pages never fetched.
  missed: number;
  // Fetches beyond the first of one page, summed over pages.
  duplicates: number;
  // Pages fetched that a polite crawl from the seeds never fetches (disallowed by robots.txt,
  // or not linked from anything reachable).
  unexpected: number;
  rateViolations: number;
  // The closest two arrivals at one host came, in ms (null before two arrivals).
  smallestGapMs: number | null;
  // A few page keys (and violations) of each kind, to start an investigation from.
  examples: {
    missed: string[];
    duplicates: string[];
    unexpected: string[];
    violations: RateViolation[];
  };
}
