import { BadRequestException } from '@nestjs/common';
import { IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN } from '@suite/contracts';

// Routes that move money refuse to run without a key: without one a retry cannot be told from
// a second operation. Its characters are the gateway's (no spaces, no control characters), so
// a key reads and compares the same in every service and log; its length is checked here too.
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.trim().length === 0) {
    throw new BadRequestException('the Idempotency-Key header is required');
  }
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new BadRequestException(
      `the Idempotency-Key header is longer than ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`,
    );
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new BadRequestException(
      'the Idempotency-Key header may hold only A-Z a-z 0-9 and . _ : ~ + / = -',
    );
  }
  return key;
}
