import { DEFAULT_PORTS } from '@suite/contracts';
import { baseServiceConfig, portVar, REDIS_PROTOCOLS, urlVar } from '@suite/coordination-nest';
import { z } from 'zod';

export const rateLimiterConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['rate-limiter']),
  // Window logs, counters and buckets shared by every limiter and gateway instance.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Policies to load at boot; without it the service starts with none.
  POLICY_FILE: z.string().min(1).optional(),
});

export type RateLimiterConfig = z.infer<typeof rateLimiterConfigSchema>;

export const RATE_LIMITER_CONFIG = Symbol('RATE_LIMITER_CONFIG');
