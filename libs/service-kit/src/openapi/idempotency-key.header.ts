import type { ApiHeaderOptions } from '@nestjs/swagger';
import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_MIN_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
} from '@suite/contracts';

// The Idempotency-Key header of a service route that moves money, as requireIdempotencyKey
// checks it: the one rule the gateway and the idempotency store also apply.
export const IDEMPOTENCY_KEY_HEADER_DOC: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: true,
  description: 'Unique per operation (e.g. a UUID) and reused on every retry of it',
  schema: {
    type: 'string',
    minLength: IDEMPOTENCY_KEY_MIN_LENGTH,
    maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
    pattern: IDEMPOTENCY_KEY_PATTERN.source,
  },
};
