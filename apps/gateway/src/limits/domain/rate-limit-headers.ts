import { rateLimitHeader, rateLimitPolicyHeader } from '@suite/contracts';
import type { CheckedPolicy } from '../infra/gateway-rate-limiter';

// IETF draft-ietf-httpapi-ratelimit-headers, written by the same helpers as the
// rate-limiter service's, with the same conventions: one member per policy that counted
// the request, named "<domain>.<policy>"; the deciding policy first (of those that denied,
// the one with the longest wait, else the one with the least left); t is the time to reset, or on a denial the time
// until a retry can pass.
export function rateLimitHeaders(checked: readonly CheckedPolicy[]): Record<string, string> {
  if (checked.length === 0) {
    return {};
  }
  const denied = checked.filter((c) => !c.decision.allowed);
  const decider =
    denied.length > 0
      ? denied.reduce((a, b) => (b.decision.retryAfterMs > a.decision.retryAfterMs ? b : a))
      : checked.reduce((a, b) => (b.decision.remaining < a.decision.remaining ? b : a));
  const ordered = [decider, ...checked.filter((c) => c !== decider)];
  return {
    'ratelimit-policy': rateLimitPolicyHeader(
      ordered.map((c) => ({ policy: c.name, limit: c.decision.limit, windowMs: c.windowMs })),
    ),
    ratelimit: rateLimitHeader(
      ordered.map((c) => ({
        policy: c.name,
        remaining: c.decision.remaining,
        resetMs: c.decision.allowed ? c.decision.resetMs : c.decision.retryAfterMs,
      })),
    ),
  };
}
