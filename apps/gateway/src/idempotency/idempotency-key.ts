import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_MIN_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
} from '@suite/contracts';

export type IdempotencyKeyCheck = { ok: true; key: string } | { ok: false; message: string };

// Routes that move money refuse to run without a usable key: without one a retry cannot
// be told from a second payment. The value is never echoed back.
export function checkIdempotencyKey(header: string | string[] | undefined): IdempotencyKeyCheck {
  if (Array.isArray(header)) {
    return { ok: false, message: 'send exactly one Idempotency-Key header' };
  }
  if (header === undefined || header.length === 0) {
    return {
      ok: false,
      message:
        'the Idempotency-Key header is required on this route: send a unique value (e.g. a UUID) per operation and reuse it on every retry',
    };
  }
  if (header.length < IDEMPOTENCY_KEY_MIN_LENGTH || header.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    return {
      ok: false,
      message: `the Idempotency-Key must be ${IDEMPOTENCY_KEY_MIN_LENGTH} to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters long`,
    };
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(header)) {
    return {
      ok: false,
      message: 'the Idempotency-Key may contain only letters, digits and . _ : ~ + / = -',
    };
  }
  return { ok: true, key: header };
}
