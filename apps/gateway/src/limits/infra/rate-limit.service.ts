import { Inject, Injectable } from '@nestjs/common';
import { HttpMetrics } from '@suite/service-kit';
import { Counter } from 'prom-client';
import type { RedisClient } from '@suite/coordination';
import type { GatewayConfig } from '../../config/gateway.config';
import { GATEWAY_CONFIG, REDIS } from '../../gateway.tokens';
import {
  GatewayRateLimiter,
  type RateLimitOutcome,
  type RateLimitSubject,
} from './gateway-rate-limiter';

// The gateway's limiter as a Nest provider, counting decisions by policy ("<domain>.<policy>"),
// outcome and source (redis, fallback, failure-policy): anything but redis means Redis was
// not used.
@Injectable()
export class RateLimitService {
  private readonly limiter: GatewayRateLimiter;
  private readonly decisions: Counter<'policy' | 'allowed' | 'source'>;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(REDIS) redis: RedisClient,
    metrics: HttpMetrics,
  ) {
    this.limiter = new GatewayRateLimiter({
      redis,
      limits: config.RATE_LIMITS,
      timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
      recheckMs: config.RATE_LIMIT_RECHECK_MS,
    });
    this.decisions = new Counter({
      name: 'gateway_rate_limit_decisions_total',
      help: 'Rate-limit decisions by policy, outcome and the path that decided',
      labelNames: ['policy', 'allowed', 'source'],
      registers: [metrics.registry],
    });
  }

  async check(subject: RateLimitSubject): Promise<RateLimitOutcome> {
    const outcome = await this.limiter.check(subject);
    for (const { name, decision } of outcome.checked) {
      this.decisions.inc({
        policy: name,
        allowed: String(decision.allowed),
        source: decision.source,
      });
    }
    return outcome;
  }
}
