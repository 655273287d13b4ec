import { BadRequestException } from '@nestjs/common';
import { idempotencyKeyProblem } from '@suite/contracts';

// Routes that move money refuse to run without a key: without one a retry cannot be told from
// a second operation. Bounds and characters are the contracts' one rule, the gateway's, so a
// key the gateway forwards is never refused here and a key refused here reads the same.
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.trim().length === 0) {
    throw new BadRequestException('the Idempotency-Key header is required');
  }
  const problem = idempotencyKeyProblem(key);
  if (problem !== undefined) throw new BadRequestException(problem);
  return key;
}
