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

export const autocannon = require('autocannon') as (
  options: Record<string, unknown>,
) => Promise<CannonResult>;

// Completed requests per second over the whole run. autocannon's own average samples once a
// second, which is coarse for runs of a few seconds.
export function rate(result: CannonResult): number {
  return (result['2xx'] + result.non2xx) / Math.max(result.duration, 0.001);
}
