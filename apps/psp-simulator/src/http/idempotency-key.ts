import { BadRequestException } from '@nestjs/common';

// Every money-moving call needs a key: without one a retry cannot be told from a new charge.
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
