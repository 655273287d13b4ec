// What the web simulator answers at GET /web/verdict: its account of a crawl as the outside
// world saw it. The simulator computes it; tests, benches, chaos runs and the demo read it.

export interface RateViolation {
  host: string;
  // Between the two arrivals as the simulator stamped them.
  gapMs: number;
  // How late the simulator's event loop may have stamped the first of the two (see
  // gapsWithinSimulatorStall): the two requests came at most gapMs + this apart.
  simulatorStallMs: number;
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
  // Two arrivals at one host closer than its interval even if the first of them had waited
  // its whole measured stall in the simulator before being stamped: the requests certainly
  // came too close.
  rateViolations: number;
  // Stamped closer than the interval, but not once the first one's stall is allowed for: the
  // simulator's own event loop (or its process) was busy and may have bunched the two stamps.
  // Counted apart from rateViolations, so neither hides the other.
  gapsWithinSimulatorStall: number;
  // The closest two arrivals at one host came, in ms (null before two arrivals).
  smallestGapMs: number | null;
  // A few page keys (and violations) of each kind, to start an investigation from.
  examples: {
    missed: string[];
    duplicates: string[];
    unexpected: string[];
    violations: RateViolation[];
    gapsWithinSimulatorStall: RateViolation[];
  };
}
