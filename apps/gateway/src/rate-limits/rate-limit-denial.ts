import { HttpStatus } from '@nestjs/common';
import { retryAfterSeconds } from '@suite/contracts';
import type { CheckedPolicy } from './gateway-rate-limiter';

export interface RateLimitDenial {
  retryAfterSeconds: number;
  body: { statusCode: number; error: string; message: string };
}

// The 429 for a request a policy denied, the same wherever the gateway decides it.
export function rateLimitDenial(deniedBy: CheckedPolicy): RateLimitDenial {
  const retryAfter = retryAfterSeconds(deniedBy.decision.retryAfterMs);
  return {
    retryAfterSeconds: retryAfter,
    body: {
      statusCode: HttpStatus.TOO_MANY_REQUESTS,
      error: 'Too Many Requests',
      message: `rate limit "${deniedBy.name}" exceeded: ${deniedBy.decision.limit} requests per ${Math.round(deniedBy.windowMs / 1000)} s; retry after ${retryAfter} s`,
    },
  };
}
