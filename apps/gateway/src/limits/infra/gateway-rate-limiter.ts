import {
  descriptorKey,
  requestDescriptors,
  selectPolicy,
  type RequestRateLimitSubject,
} from '@suite/contracts';
import {
  createLimiterSet,
  type LimiterSet,
  type RateLimitDecision,
  type RateLimitPolicy,
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

interface PolicyEntry {
  policy: GatewayPolicy;
  // The policy's matcher, where selectPolicy looks for it.
  match: GatewayPolicy['match'];
  // Units per ms: lower is tighter.
  rate: number;
}

export interface GatewayRateLimiterOptions {
  redis: RedisClient;
  limits: GatewayRateLimits;
  timeoutMs: number;
  recheckMs: number;
  // Tests replace the Redis limiters.
  limiterSetFor?: (policies: RateLimitPolicy[]) => Pick<LimiterSet, 'check'>;
}

// The request's descriptors (contracts' requestDescriptors) each select at most one policy
// of the gateway's domain with the service's rule (selectPolicy), and each selected policy
// counts under descriptorKey(descriptor), as the rate-limiter service counts it.
//
// Every selected policy is decided in one Redis round trip, all or nothing (the library's
// limiter set): a request any policy refuses spends nothing in any of them, so a caller
// refused by the per-route limit keeps its per-user budget and the other way round. The
// service counts differently (as Envoy's: a policy that admitted has spent, even when
// another refused); the two agree on every admitted request, which is what both count
// against the limits. The policies are ordered tightest first, the order the set falls back
// to (one policy at a time, stopping at the first refusal) on a Redis Cluster, whose slots
// split the policies' keys, and while Redis is unusable.
export class GatewayRateLimiter {
  private readonly entries: PolicyEntry[];
  private readonly limiters: Pick<LimiterSet, 'check'>;

  constructor(options: GatewayRateLimiterOptions) {
    this.entries = options.limits.policies.map((policy) => ({
      policy,
      match: policy.match,
      rate: policy.policy.limit / policy.policy.windowMs,
    }));
    const policies = options.limits.policies.map((p) => p.policy);
    this.limiters =
      options.limiterSetFor?.(policies) ??
      createLimiterSet({
        redis: options.redis,
        policies,
        timeoutMs: options.timeoutMs,
        recheckMs: options.recheckMs,
      });
  }

  async check(subject: RateLimitSubject): Promise<RateLimitOutcome> {
    const applicable: Array<{ entry: PolicyEntry; key: string }> = [];
    for (const descriptor of requestDescriptors(subject)) {
      const entry = selectPolicy(this.entries, descriptor);
      if (entry) applicable.push({ entry, key: descriptorKey(descriptor) });
    }
    applicable.sort((a, b) => a.entry.rate - b.entry.rate);

    const outcome = await this.limiters.check(
      applicable.map(({ entry, key }) => ({ policy: entry.policy.name, key })),
    );
    const checked = outcome.decisions.map((decision, i): CheckedPolicy => {
      const { policy } = (applicable[i] as (typeof applicable)[number]).entry;
      const windowMs =
        decision.source === 'fallback'
          ? (policy.policy.fallback?.windowMs ?? policy.policy.windowMs)
          : policy.policy.windowMs;
      return { name: policy.name, windowMs, decision };
    });
    if (outcome.allowed) return { allowed: true, checked };
    // The request passes once every refusing policy admits: the longest wait is the answer.
    const deniedBy = checked
      .filter((c) => !c.decision.allowed)
      .reduce((a, b) => (b.decision.retryAfterMs > a.decision.retryAfterMs ? b : a));
    return { allowed: false, checked, deniedBy };
  }
}
