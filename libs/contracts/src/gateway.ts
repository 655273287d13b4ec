// What the gateway adds to or requires of a request before a service sees it. Services
// read these names from here so both sides spell them the same way.

export const GATEWAY_HEADERS = {
  // The verified caller (the token's `sub`). Set only by the gateway, which drops any
  // value a client sent; a service trusts it only on traffic that came through the
  // gateway, and can check it against the forwarded Authorization header's token.
  userId: 'x-user-id',
  // The token's scopes, space-separated, for the same reason and with the same caveat.
  userScopes: 'x-user-scopes',
  // Forwarded unchanged on the routes that move money.
  idempotencyKey: 'idempotency-key',
} as const;

// Idempotency-Key values the gateway accepts: long enough to be unique per client
// operation (a UUID, a ULID, base64 of random bytes), short enough to index, and free of
// spaces and control characters so it logs and compares unambiguously.
export const IDEMPOTENCY_KEY_MIN_LENGTH = 8;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:~+/=-]+$/;

// The one Idempotency-Key rule: the gateway, every service's HTTP edge and the idempotency
// store all check a key with idempotencyKeyProblem, so what a client is told at the edge
// is what every layer behind it enforces.
export const IDEMPOTENCY_KEY_RULE = `Idempotency-Key must be ${IDEMPOTENCY_KEY_MIN_LENGTH} to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : ~ + / = -`;

// Why a key breaks the rule (the rule, then what is wrong), or undefined if it keeps it.
// The key itself is never echoed: it may be a client's secret, or hold characters a log
// would misread.
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length < IDEMPOTENCY_KEY_MIN_LENGTH || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    return `${IDEMPOTENCY_KEY_RULE}; this one has ${key.length}`;
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return `${IDEMPOTENCY_KEY_RULE}; this one has a character outside that set`;
  }
  return undefined;
}
