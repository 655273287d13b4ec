// Why a proxied call produced no usable response. Each carries a string code (it is
// logged and counted) and whether the client may simply retry.

export class UpstreamTimeoutError extends Error {
  readonly code = 'UPSTREAM_TIMEOUT';
  readonly retriable = true;

  constructor(
    readonly upstream: string,
    readonly timeoutMs: number,
  ) {
    super(`${upstream} did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

export class UpstreamUnreachableError extends Error {
  readonly code = 'UPSTREAM_UNREACHABLE';
  readonly retriable = true;

  constructor(
    readonly upstream: string,
    // The socket error's code, e.g. ECONNREFUSED; logged, never sent to a client.
    readonly socketCode: string | undefined,
    // True when the failure came before any byte of a response: only then may a safe
    // method be sent again.
    readonly beforeResponse: boolean,
  ) {
    super(`${upstream} is unreachable${socketCode ? ` (${socketCode})` : ''}`);
    this.name = 'UpstreamUnreachableError';
  }
}

export class UpstreamResponseTooLargeError extends Error {
  readonly code = 'UPSTREAM_RESPONSE_TOO_LARGE';
  readonly retriable = false;

  constructor(
    readonly upstream: string,
    readonly maxBytes: number,
  ) {
    super(`${upstream} sent a response larger than ${maxBytes} bytes`);
    this.name = 'UpstreamResponseTooLargeError';
  }
}

export class UpstreamCircuitOpenError extends Error {
  readonly code = 'UPSTREAM_CIRCUIT_OPEN';
  readonly retriable = true;

  constructor(
    readonly upstream: string,
    readonly retryAfterMs: number,
  ) {
    super(`${upstream} is unavailable: its circuit is open after repeated failures`);
    this.name = 'UpstreamCircuitOpenError';
  }
}

export type UpstreamError =
  | UpstreamTimeoutError
  | UpstreamUnreachableError
  | UpstreamResponseTooLargeError
  | UpstreamCircuitOpenError;

export function isUpstreamError(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamTimeoutError ||
    error instanceof UpstreamUnreachableError ||
    error instanceof UpstreamResponseTooLargeError ||
    error instanceof UpstreamCircuitOpenError
  );
}
