// autocannon ships no types; this is the part of its API the load scenarios use.
export interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  duration: number;
}

const run = require('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;

// autocannon ends a run on its sampling tick, once a second by default: a run of a fixed
// `amount` of requests that finished in 5.2 s reports 6.0 s. Sampling every 10 ms ends it
// within 10 ms of the last answer, so `duration` (and rate() below) is the run's own time.
export const autocannon = (options: Record<string, unknown>): Promise<CannonResult> =>
  run({ sampleInt: 10, ...options });

// Completed requests per second over the whole run. autocannon's own average samples once a
// second, which is coarse for runs of a few seconds.
export function rate(result: CannonResult): number {
  return (result['2xx'] + result.non2xx) / Math.max(result.duration, 0.001);
}
