import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  durationMsVar,
  HTTP_PROTOCOLS,
  portVar,
  REDIS_PROTOCOLS,
  urlVar,
} from '@suite/coordination-nest';
import type { z } from 'zod';

// Upstreams default to each service's local development port; deployments set them.
const upstream = (port: number) =>
  urlVar({ protocols: HTTP_PROTOCOLS, default: `http://127.0.0.1:${port}` });

export const gatewayConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.gateway),
  TICKETING_URL: upstream(DEFAULT_PORTS.ticketing),
  PAYMENTS_URL: upstream(DEFAULT_PORTS.payments),
  AUCTION_URL: upstream(DEFAULT_PORTS.auction),
  RATE_LIMITER_URL: upstream(DEFAULT_PORTS['rate-limiter']),
  // Rate-limit counters and idempotency records; no default, a wrong Redis is worse than none.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Budget for one proxied call; upstreams keep their own timeouts below this one.
  UPSTREAM_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 1 }),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
