import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

const MAX_MESSAGE_LENGTH = 300;
const ERROR_TOKEN = /^[A-Za-z][A-Za-z0-9 _-]{0,63}$/;
// What internals look like when they leak: stack frames, source paths, driver errors.
const LOOKS_INTERNAL = [
  /\n/,
  /\bat\s+\S+\s+\(/,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /(?:^|\s)\/(?:home|usr|opt|app|srv|work|var)\//,
  /\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|PIPE)\b/,
  /\b(?:QueryFailedError|TypeError|ReferenceError|SyntaxError|SELECT|INSERT|UPDATE)\b/,
  /\b(?:postgres|redis|kafka):\/\//i,
];

// A 5xx from a service becomes { statusCode, error, message } and nothing else: the
// message survives only if it is one short line that reads like a deliberate answer
// ("the card processor did not answer; retry with the same Idempotency-Key"). Anything
// else (stack, cause, SQL, an HTML error page) is replaced by a generic message.
export function sanitizeUpstreamError(
  upstream: string,
  statusCode: number,
  body: Buffer,
  contentType: string | undefined,
): ErrorBody {
  const fallback: ErrorBody = {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: `${upstream} could not handle the request`,
  };
  if (contentType === undefined || !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    return fallback;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return fallback;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return fallback;
  }
  const { error, message } = parsed as { error?: unknown; message?: unknown };
  return {
    statusCode,
    error: typeof error === 'string' && ERROR_TOKEN.test(error) ? error : fallback.error,
    message: isSafeMessage(message) ? message : fallback.message,
  };
}

function isSafeMessage(message: unknown): message is string {
  return (
    typeof message === 'string' &&
    message.length > 0 &&
    message.length <= MAX_MESSAGE_LENGTH &&
    !LOOKS_INTERNAL.some((pattern) => pattern.test(message))
  );
}
