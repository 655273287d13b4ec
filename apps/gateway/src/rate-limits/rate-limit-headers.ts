import type { RateLimitDecision } from '@suite/coordination';

export interface LabelledDecision {
  label: string;
  windowMs: number;
  decision: RateLimitDecision;
}

// IETF draft-ietf-httpapi-ratelimit-headers: one list member per policy checked, named by
// its label. RateLimit-Policy states the quota (q units per w seconds); RateLimit states
// what is left of it (r) and the seconds until it is whole again (t).
export function rateLimitHeaders(decisions: readonly LabelledDecision[]): Record<string, string> {
  if (decisions.length === 0) {
    return {};
  }
  const policy = decisions
    .map(
      ({ label, windowMs, decision }) =>
        `${sfString(label)};q=${decision.limit};w=${seconds(windowMs)}`,
    )
    .join(', ');
  const state = decisions
    .map(
      ({ label, decision }) =>
        `${sfString(label)};r=${Math.max(0, decision.remaining)};t=${seconds(decision.resetMs)}`,
    )
    .join(', ');
  return { 'ratelimit-policy': policy, ratelimit: state };
}

// Retry-After in whole seconds, never 0 for a denial: "retry now" would be a lie.
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

// RFC 8941 sf-string: quotes and backslashes escaped; labels are config ids, so nothing
// else non-printable can occur.
function sfString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
