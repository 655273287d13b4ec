import type { CheckedPolicy } from '../infra/gateway-rate-limiter';

// A request a policy denied, the same wherever the gateway decides it: a 429 with
// Retry-After (http/gateway.answers.ts).
export interface RateLimited {
  kind: 'rate-limited';
  deniedBy: CheckedPolicy;
}
