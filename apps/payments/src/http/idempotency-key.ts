import { BadRequestException } from '@nestjs/common';

// Routes that move money refuse to run without a key: without one a retry cannot be told
// from a second payment.
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.trim().length === 0) {
    throw new BadRequestException(
      'the Idempotency-Key header is required: send a unique value per payment and reuse it on every retry',
    );
  }
  return key;
}

// Until the gateway's JWTs reach this service, every HTTP caller shares one key scope.
// TODO: scope keys by the authenticated merchant once JWT auth lands in coordination-nest.
export const HTTP_SCOPE = 'merchant:default';
