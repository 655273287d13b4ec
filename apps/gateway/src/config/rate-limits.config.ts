import { readFileSync } from 'node:fs';
import {
  parseRateLimitPolicyFile,
  type DescriptorPolicy,
  type RateLimitDescriptor,
  type RateLimitPolicyFile,
} from '@suite/contracts';
import { compileDomainPolicies, type RateLimitPolicy } from '@suite/coordination';

// The gateway reads the rate-limiter service's policy file format (@suite/contracts) and
// uses one domain of it. With the same file, domain and REDIS_KEY_PREFIX, a gateway and a
// rate-limiter instance name every Redis key the same way, so they count in one window.

export const DEFAULT_RATE_LIMIT_DOMAIN = 'gateway';

// One policy of the gateway's domain, with the limiter policy built from it.
export interface GatewayPolicy {
  // "<domain>.<policy>": part of every Redis key, and the name in RateLimit headers.
  name: string;
  match: RateLimitDescriptor;
  definition: DescriptorPolicy;
  policy: RateLimitPolicy;
}

export interface GatewayRateLimits {
  domain: string;
  // The file's path, or "built-in defaults".
  source: string;
  version: string | null;
  policies: GatewayPolicy[];
}

const perUserRoute = (
  name: string,
  route: string,
  limit: number,
  failure: { failure: 'open'; fallback: { limit: number } } | { failure: 'closed' },
): DescriptorPolicy => ({
  name,
  match: { user: '*', route },
  algorithm: 'sliding-log',
  limit,
  windowMs: 60_000,
  ...failure,
});

// The built-in policies, written in the file format (rate-limits.example.json is this
// file, and a test keeps the two equal).
export function defaultRateLimitPolicyFile(
  domain = DEFAULT_RATE_LIMIT_DOMAIN,
): RateLimitPolicyFile {
  return {
    version: 'gateway-defaults-1',
    domains: [
      {
        domain,
        policies: [
          // Exact: a user never gets more than 120 requests in any 60 s. While Redis is
          // down each instance admits up to 60 per user on its own.
          {
            name: 'per-user',
            match: { user: '*' },
            algorithm: 'sliding-log',
            limit: 120,
            windowMs: 60_000,
            failure: 'open',
            fallback: { limit: 60 },
          },
          // Every request without a valid token, by the client's address: public auction
          // reads, and requests refused with 401 (checked before authentication, so failed
          // attempts are limited too). Approximate with O(1) memory: anyone can mint new
          // addresses' worth of keys.
          {
            name: 'per-client-ip',
            match: { client_ip: '*' },
            algorithm: 'sliding-counter',
            limit: 300,
            windowMs: 60_000,
            failure: 'open',
            fallback: { limit: 150 },
          },
          // Holding seats is what a scalper automates: the tightest non-money limit.
          perUserRoute('place-hold', 'POST /holds', 20, {
            failure: 'open',
            fallback: { limit: 10 },
          }),
          perUserRoute('checkout', 'POST /checkouts', 10, {
            failure: 'open',
            fallback: { limit: 5 },
          }),
          // The direct payment API is for back offices: it fails closed rather than admit
          // an unknown number of charges while the limit cannot be counted.
          perUserRoute('create-payment', 'POST /payments', 10, { failure: 'closed' }),
          perUserRoute('refund-payment', 'POST /payments/:paymentId/refunds', 10, {
            failure: 'closed',
          }),
          perUserRoute('create-auction', 'POST /auctions', 10, {
            failure: 'open',
            fallback: { limit: 5 },
          }),
          // One bid a second sustained per bidder; the auction row serialises the rest.
          perUserRoute('place-bid', 'POST /auctions/:auctionId/bids', 60, {
            failure: 'open',
            fallback: { limit: 30 },
          }),
          // Each job fires on its own schedule for as long as it lives (a cron job forever):
          // a caller schedules at most one new job every two seconds, sustained.
          perUserRoute('create-job', 'POST /jobs', 30, {
            failure: 'open',
            fallback: { limit: 15 },
          }),
          // A crawl sends requests to every host it reaches on the operator's behalf: few
          // starts, and none while the limit cannot be counted.
          perUserRoute('start-crawl', 'POST /crawls', 5, { failure: 'closed' }),
        ],
      },
    ],
  };
}

export type RateLimitsLoad =
  | { ok: true; limits: GatewayRateLimits }
  | { ok: false; issues: string[] };

// The domain's policies, each also checked by the limiter library's own schema, so a file
// the contract accepts but a limiter would refuse fails at boot, as in the service.
export function compileRateLimits(input: unknown, domain: string, source: string): RateLimitsLoad {
  const parsed = parseRateLimitPolicyFile(input);
  if (!parsed.ok) return parsed;
  const index = parsed.file.domains.findIndex((d) => d.domain === domain);
  const found = parsed.file.domains[index];
  if (found === undefined) {
    const known = parsed.file.domains.map((d) => d.domain).join(', ') || '(none)';
    return {
      ok: false,
      issues: [`has no domain "${domain}" (RATE_LIMIT_DOMAIN); domains: ${known}`],
    };
  }
  const compiled = compileDomainPolicies(parsed.file, index);
  if (!compiled.ok) return compiled;
  const policies: GatewayPolicy[] = compiled.policies.map(({ name, definition, policy }) => ({
    name,
    match: definition.match,
    definition,
    policy,
  }));
  return {
    ok: true,
    limits: { domain, source, version: parsed.file.version ?? null, policies },
  };
}

// Read once at boot: a file that cannot be read or parsed stops the gateway with every
// issue listed. Without a path, the built-in defaults.
export function loadRateLimits(path: string | undefined, domain: string): RateLimitsLoad {
  if (path === undefined) {
    return compileRateLimits(defaultRateLimitPolicyFile(domain), domain, 'built-in defaults');
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [`cannot read ${path} as JSON: ${reason}`] };
  }
  return compileRateLimits(json, domain, path);
}
