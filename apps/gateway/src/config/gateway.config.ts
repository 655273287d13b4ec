import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  durationMsVar,
  HTTP_PROTOCOLS,
  pemVar,
  portVar,
  REDIS_PROTOCOLS,
  urlVar,
} from '@suite/service-kit';
import { z } from 'zod';
import { isLoopbackHost, parseTrustedProxies } from '../limits/domain/client-address';
import type { UpstreamName } from '../proxy/domain/gateway-routes';
import { DEFAULT_RATE_LIMIT_DOMAIN, loadRateLimits } from './rate-limits.config';

// Upstreams default to each service's local development port; deployments set them.
const upstream = (port: number) =>
  urlVar({ protocols: HTTP_PROTOCOLS, default: `http://127.0.0.1:${port}` });

const optionalTimeout = () => durationMsVar({ min: 1 }).optional();

export const gatewayConfigSchema = baseServiceConfig
  .extend({
    PORT: portVar(DEFAULT_PORTS.gateway),
    TICKETING_URL: upstream(DEFAULT_PORTS.ticketing),
    PAYMENTS_URL: upstream(DEFAULT_PORTS.payments),
    AUCTION_URL: upstream(DEFAULT_PORTS.auction),
    RATE_LIMITER_URL: upstream(DEFAULT_PORTS['rate-limiter']),
    SCHEDULER_URL: upstream(DEFAULT_PORTS.scheduler),
    CRAWLER_URL: upstream(DEFAULT_PORTS.crawler),
    // Rate-limit counters; no default, a wrong Redis is worse than none.
    REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
    // Prefix of every Redis key the gateway writes. Instances that share a limit share it.
    REDIS_KEY_PREFIX: z.string().default(''),
    // Redis Cluster seed nodes, comma-separated host:port. Set: a Cluster client (REDIS_URL
    // then lends only its scheme and credentials); unset: the one server at REDIS_URL.
    REDIS_CLUSTER_NODES: brokerList().optional(),
    // Budget for one proxied call; upstreams keep their own timeouts below this one.
    UPSTREAM_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 1 }),
    // Per-upstream budgets; unset means UPSTREAM_TIMEOUT_MS.
    TICKETING_TIMEOUT_MS: optionalTimeout(),
    PAYMENTS_TIMEOUT_MS: optionalTimeout(),
    AUCTION_TIMEOUT_MS: optionalTimeout(),
    RATE_LIMITER_TIMEOUT_MS: optionalTimeout(),
    SCHEDULER_TIMEOUT_MS: optionalTimeout(),
    CRAWLER_TIMEOUT_MS: optionalTimeout(),
    // One circuit breaker per upstream: it opens when more than BREAKER_ERROR_PERCENT of
    // the calls in the last BREAKER_WINDOW_MS failed (502/503/504, timeout, unreachable), once at
    // least BREAKER_VOLUME_THRESHOLD calls were made; BREAKER_RESET_MS later one trial
    // call is let through (half-open) and its outcome closes or reopens the circuit. The reset
    // is short because an open circuit outlives the upstream's outage by up to one reset: on
    // the compose stack, ticketing answered again the moment a Redis partition healed, and a
    // 10 s reset kept its circuit open 10 s longer. A trial call per reset costs little.
    BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(10),
    BREAKER_WINDOW_MS: durationMsVar({ default: 10_000, min: 100 }),
    BREAKER_RESET_MS: durationMsVar({ default: 2_000, min: 1 }),
    // The issuer's public key (SPKI PEM) and the claims every token must carry.
    JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
    JWT_ISSUER: z.string().min(1).default('suite'),
    JWT_AUDIENCE: z.string().min(1).default('suite'),
    // Oldest token accepted, by its iat, whatever its exp says.
    JWT_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    // Prometheus metrics are served here, never on the API port. Loopback by default: the
    // series name routes and upstreams, which is nobody's business outside the host.
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: portVar(9464),
    // Proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For is
    // believed when the client's address is worked out. Empty, the default: the client is
    // the socket's peer, whatever the header says.
    TRUSTED_PROXIES: z.string().default(''),
    // POST /dev/tokens mints tokens for the demo. Off by default: then the route does not
    // exist (404). On requires DEV_TOKEN_PRIVATE_KEY (PKCS#8 PEM) and a loopback HOST.
    DEV_TOKENS: z.enum(['on', 'off']).default('off'),
    DEV_TOKEN_PRIVATE_KEY: pemVar('PRIVATE KEY').optional(),
    DEV_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
    // A policy file in the rate-limiter service's format (@suite/contracts rate-limits.ts),
    // read once at boot; unset means the built-in defaults (rate-limits.example.json).
    RATE_LIMIT_POLICY_FILE: z.string().min(1).optional(),
    // The file's domain whose policies the gateway applies.
    RATE_LIMIT_DOMAIN: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, '1-32 of A-Z a-z 0-9 _ -')
      .default(DEFAULT_RATE_LIMIT_DOMAIN),
    // How long a rate-limit decision may wait for Redis before the policy's failure mode
    // decides, and how long Redis is then skipped.
    RATE_LIMIT_REDIS_TIMEOUT_MS: durationMsVar({ default: 100, min: 1 }),
    RATE_LIMIT_RECHECK_MS: durationMsVar({ default: 500, min: 1 }),
  })
  .superRefine((config, ctx) => {
    if (config.DEV_TOKENS === 'on' && config.DEV_TOKEN_PRIVATE_KEY === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DEV_TOKEN_PRIVATE_KEY'],
        message: 'required when DEV_TOKENS=on',
      });
    }
    // Anyone who reaches the port could mint a token for any user.
    if (config.DEV_TOKENS === 'on' && !isLoopbackHost(config.HOST)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DEV_TOKENS'],
        message: `must be off unless HOST is a loopback address (HOST is ${config.HOST})`,
      });
    }
  })
  // The policies and trusted proxies, compiled once here so a bad value stops the boot with
  // every issue.
  .transform((config, ctx) => {
    const proxies = parseTrustedProxies(config.TRUSTED_PROXIES);
    if (!proxies.ok) {
      for (const message of proxies.issues) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['TRUSTED_PROXIES'], message });
      }
      return z.NEVER;
    }
    const loaded = loadRateLimits(config.RATE_LIMIT_POLICY_FILE, config.RATE_LIMIT_DOMAIN);
    if (!loaded.ok) {
      for (const message of loaded.issues) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['RATE_LIMIT_POLICY_FILE'], message });
      }
      return z.NEVER;
    }
    return { ...config, RATE_LIMITS: loaded.limits, TRUSTED_NETWORKS: proxies.networks };
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function upstreamTimeoutMs(config: GatewayConfig, upstreamName: UpstreamName): number {
  const specific: Record<UpstreamName, number | undefined> = {
    ticketing: config.TICKETING_TIMEOUT_MS,
    payments: config.PAYMENTS_TIMEOUT_MS,
    auction: config.AUCTION_TIMEOUT_MS,
    'rate-limiter': config.RATE_LIMITER_TIMEOUT_MS,
    scheduler: config.SCHEDULER_TIMEOUT_MS,
    crawler: config.CRAWLER_TIMEOUT_MS,
  };
  return specific[upstreamName] ?? config.UPSTREAM_TIMEOUT_MS;
}

export function upstreamBaseUrl(config: GatewayConfig, upstreamName: UpstreamName): string {
  const urls: Record<UpstreamName, string> = {
    ticketing: config.TICKETING_URL,
    payments: config.PAYMENTS_URL,
    auction: config.AUCTION_URL,
    'rate-limiter': config.RATE_LIMITER_URL,
    scheduler: config.SCHEDULER_URL,
    crawler: config.CRAWLER_URL,
  };
  return urls[upstreamName];
}
