import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  durationMsVar,
  pemVar,
  portVar,
  REDIS_PROTOCOLS,
  urlVar,
} from '@suite/service-kit';
import { z } from 'zod';

export const rateLimiterConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['rate-limiter']),
  // The token issuer's public key (SPKI PEM) and the claims every token must carry. /check
  // and /usage need a valid token, /admin an operator's (scope ops:admin).
  JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
  JWT_ISSUER: z.string().min(1).default('suite'),
  JWT_AUDIENCE: z.string().min(1).default('suite'),
  // Window logs, counters and buckets shared by every limiter and gateway instance.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Prefix of every key this service writes, for a Redis shared with other tenants. A
  // gateway that must share counts with this service uses the same prefix.
  REDIS_KEY_PREFIX: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]*$/, 'only A-Z a-z 0-9 _ . : -')
    .default(''),
  // Redis Cluster seed nodes, comma-separated host:port. Set: a Cluster client (REDIS_URL
  // then lends only its scheme and credentials); unset: the one server at REDIS_URL.
  REDIS_CLUSTER_NODES: brokerList().optional(),
  // How long one decision may wait for Redis before the policy's failure mode decides.
  REDIS_TIMEOUT_MS: durationMsVar({ default: 100, min: 1, max: 10_000 }),
  // After a Redis failure, decisions skip Redis this long before trying it again.
  REDIS_RECHECK_MS: durationMsVar({ default: 500, min: 1, max: 60_000 }),
  // Descriptor policies (JSON, schema in @suite/contracts); without it the service starts
  // with none and every check names an unknown domain.
  POLICY_FILE: z.string().min(1).optional(),
  // How often the policy file is re-read and, if its content changed, reloaded (0: only
  // on POST /admin/policies/reload).
  POLICY_RELOAD_INTERVAL_MS: durationMsVar({ default: 2_000, min: 0, max: 3_600_000 }),
});

export type RateLimiterConfig = z.infer<typeof rateLimiterConfigSchema>;
