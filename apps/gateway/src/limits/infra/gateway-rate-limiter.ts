import {
  descriptorKey,
  requestDescriptors,
  selectPolicy,
  type RequestRateLimitSubject,
} from '@suite/contracts';
import {
  createLimiter,
  type Limiter,
  type RateLimitDecision,
  type RedisClient,
} from '@suite/coordination';
import type { GatewayPolicy, GatewayRateLimits } from '../../config/rate-limits.config';

export type RateLimitSubject = RequestRateLimitSubject;

// One policy's decision for this request.
export interface CheckedPolicy {
  name: string;
  // The window the decision counted in: the fallback's while the fallback decided.
  windowMs: number;
  decision: RateLimitDecision;
}

export type RateLimitOutcome =
  | { allowed: true; checked: CheckedPolicy[] }
  | { allowed: false; checked: CheckedPolicy[]; deniedBy: CheckedPolicy };

interface PolicyLimiter {
  policy: GatewayPolicy;
  // The policy's matcher, where selectPolicy looks for it.
  match: GatewayPolicy['match'];
  limiter: Pick<Limiter, 'check'>;
  // Units per ms: lower is tighter.
  rate: number;
}

export interface GatewayRateLimiterOptions {
  redis: RedisClient;
  limits: GatewayRateLimits;
  timeoutMs: number;
  recheckMs: number;
  // Tests replace the Redis limiter.
  limiterFor?: (policy: GatewayPolicy) => Pick<Limiter, 'check'>;
}

// The request's descriptors (contracts' requestDescriptors) each select at most one policy
// of the gateway's domain with the service's rule (selectPolicy), and each selected policy
// counts under descriptorKey(descriptor), as the rate-limiter service counts it.
//
// Unlike the service, which asks every policy at once, the gateway checks them tightest
// first, one Redis round trip each, and stops at the first denial: a denied request spends
// nothing in the looser policies after the one that denied it; the tighter ones before it,
// which admitted, have spent a unit (the count errs on the strict side).
export class GatewayRateLimiter {
  private readonly limiters: PolicyLimiter[];

  constructor(options: GatewayRateLimiterOptions) {
    this.limiters = options.limits.policies.map((policy) => ({
      policy,
      match: policy.match,
      limiter:
        options.limiterFor?.(policy) ??
        createLimiter({
          redis: options.redis,
          policy: policy.policy,
          timeoutMs: options.timeoutMs,
          recheckMs: options.recheckMs,
        }),
      rate: policy.policy.limit / policy.policy.windowMs,
    }));
  }

  async check(subject: RateLimitSubject): Promise<RateLimitOutcome> {
    const applicable: Array<{ entry: PolicyLimiter; key: string }> = [];
    for (const descriptor of requestDescriptors(subject)) {
      const entry = selectPolicy(this.limiters, descriptor);
      if (entry) applicable.push({ entry, key: descriptorKey(descriptor) });
    }
    applicable.sort((a, b) => a.entry.rate - b.entry.rate);

    const checked: CheckedPolicy[] = [];
    for (const { entry, key } of applicable) {
      const decision = await entry.limiter.check(key);
      const { policy } = entry.policy;
      const windowMs =
        decision.source === 'fallback'
          ? (policy.fallback?.windowMs ?? policy.windowMs)
          : policy.windowMs;
      const result = { name: entry.policy.name, windowMs, decision };
      checked.push(result);
      if (!decision.allowed) return { allowed: false, checked, deniedBy: result };
    }
    return { allowed: true, checked };
  }
}
