import { BadRequestException } from '@nestjs/common';

// Routes that move money refuse to run without a key: without one a retry cannot be told from
// a second operation. The idempotency store checks the key's format; this checks it was sent.
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.trim().length === 0) {
    throw new BadRequestException('the Idempotency-Key header is required');
  }
  if (key.length > 255) {
    throw new BadRequestException('the Idempotency-Key header is longer than 255 characters');
  }
  return key;
}
