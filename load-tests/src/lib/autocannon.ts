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
