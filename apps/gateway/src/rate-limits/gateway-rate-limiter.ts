import { createHash } from 'node:crypto';
import { createLimiter, type Limiter, type RedisClient } from '@suite/coordination';
import type { LabelledDecision } from './rate-limit-headers';
import type { GatewayPolicy, RateLimitsConfig } from './rate-limits.config';

export interface RateLimitSubject {
  userId: string;
  // The caller's x-api-key, when it sent one.
  apiKey?: string;
  routeId: string;
}

export type RateLimitOutcome =
  | { allowed: true; checked: LabelledDecision[] }
  | { allowed: false; checked: LabelledDecision[]; deniedBy: LabelledDecision };

interface PolicyLimiter {
  policy: GatewayPolicy;
  limiter: Pick<Limiter, 'check'>;
  // Units per ms: lower is tighter.
  rate: number;
}

export interface GatewayRateLimiterOptions {
  redis: RedisClient;
  config: RateLimitsConfig;
  timeoutMs: number;
  recheckMs: number;
  // Tests replace the Redis limiter.
  limiterFor?: (policy: GatewayPolicy) => Pick<Limiter, 'check'>;
}

// Checks the policies that apply to one request, tightest first, one Redis round trip
// each, and stops at the first denial. So a denied request spends nothing in the looser
// policies after the one that denied it; the tighter ones before it, which admitted, have
// spent a unit (the count errs on the strict side). Cost per admitted request: one round
// trip per applicable policy (user, api key if sent, route if it has a policy): 1 to 3.
export class GatewayRateLimiter {
  private readonly user: PolicyLimiter | undefined;
  private readonly apiKey: PolicyLimiter | undefined;
  private readonly routes = new Map<string, PolicyLimiter>();

  constructor(options: GatewayRateLimiterOptions) {
    const build = (policy: GatewayPolicy): PolicyLimiter => ({
      policy,
      limiter:
        options.limiterFor?.(policy) ??
        createLimiter({
          redis: options.redis,
          policy: policy.policy,
          timeoutMs: options.timeoutMs,
          recheckMs: options.recheckMs,
        }),
      rate: policy.policy.limit / policy.policy.windowMs,
    });
    for (const policy of options.config.policies) {
      if (policy.scope === 'user') this.user = build(policy);
      else if (policy.scope === 'api-key') this.apiKey = build(policy);
      else if (policy.routeId !== undefined) this.routes.set(policy.routeId, build(policy));
    }
  }

  async check(subject: RateLimitSubject): Promise<RateLimitOutcome> {
    const applicable: Array<{ entry: PolicyLimiter; key: string }> = [];
    const route = this.routes.get(subject.routeId);
    if (route) applicable.push({ entry: route, key: subject.userId });
    if (this.user) applicable.push({ entry: this.user, key: subject.userId });
    if (this.apiKey && subject.apiKey !== undefined) {
      // The key is a credential: Redis sees only its digest.
      applicable.push({ entry: this.apiKey, key: digest(subject.apiKey) });
    }
    applicable.sort((a, b) => a.entry.rate - b.entry.rate);

    const checked: LabelledDecision[] = [];
    for (const { entry, key } of applicable) {
      const decision = await entry.limiter.check(key);
      const labelled = {
        label: entry.policy.label,
        windowMs: entry.policy.policy.windowMs,
        decision,
      };
      checked.push(labelled);
      if (!decision.allowed) {
        return { allowed: false, checked, deniedBy: labelled };
      }
    }
    return { allowed: true, checked };
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}
