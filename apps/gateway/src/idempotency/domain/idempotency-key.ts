import { idempotencyKeyProblem } from '@suite/contracts';

// A request refused for its key before it reaches the service: a 400 (http/gateway.answers.ts).
export interface IdempotencyKeyRefused {
  kind: 'idempotency-key-refused';
  message: string;
}

export type IdempotencyKeyCheck = { ok: true; key: string } | { ok: false; message: string };

// Routes that move money refuse to run without a usable key: without one a retry cannot
// be told from a second payment. The bounds and characters are the contracts' one rule,
// which every service and the idempotency store enforce too. The value is never echoed back.
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
  const problem = idempotencyKeyProblem(header);
  return problem === undefined ? { ok: true, key: header } : { ok: false, message: problem };
}
