import { BadRequestException } from '@nestjs/common';
import type { AuthenticatedUser } from '@suite/coordination-nest';

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

// An HTTP caller's keys live in a scope of its own, named by the verified token's subject:
// two callers who pick the same key get two payments and never see each other's response.
// Saga commands key theirs in SAGA_SCOPE, which no user scope can equal.
export function callerScope(user: AuthenticatedUser): string {
  return `user:${user.userId}`;
}
