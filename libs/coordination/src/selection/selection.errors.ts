// Thrown only when the mechanism is broken or misconfigured, never for an expected denial
// (held, not owner, expired, stale token): those are typed results.
export type SelectionErrorCode =
  // Redis kept losing the epoch key while we installed one, or the scope could not be bootstrapped.
  | 'epoch-unavailable'
  // The Postgres sequence or a Redis counter left the safe-integer token space.
  | 'token-space-exhausted';

export class SelectionError extends Error {
  override readonly name = 'SelectionError';

  constructor(
    readonly code: SelectionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
