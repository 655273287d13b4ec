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
