// Whether an error thrown below a controller means that a dependency (Postgres, Redis) could
// not be reached or dropped the connection, rather than that the code is wrong. The answer
// to the first is 503 with Retry-After: the request did nothing and may be sent again; the
// second stays a 500. Decided from what the drivers throw, walking the causes a wrapper keeps
// (TypeORM's driverError, Error.cause, an AggregateError's errors).

export type Dependency = 'postgres' | 'redis' | 'a dependency';

// Socket errors: the connection was refused, reset, timed out or could not be routed.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// Postgres SQLSTATEs of a server that is going away or cannot take the connection: class 08
// (connection exception), 57P01 to 57P03 (shut down by an administrator, crashed, cannot
// connect now), 53300 (too many connections).
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

// What pg and ioredis say, in their own words, when a connection dies or never comes up.
const POSTGRES_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];
const REDIS_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
];

export function dependencyOutage(error: unknown, depth = 0): Dependency | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  if (name === 'MaxRetriesPerRequestError') return 'redis';
  if (typeof message === 'string') {
    if (POSTGRES_MESSAGES.some((m) => message.includes(m))) return 'postgres';
    if (REDIS_MESSAGES.some((m) => message.includes(m))) return 'redis';
  }
  if (typeof code === 'string' && POSTGRES_UNAVAILABLE.test(code) && 'severity' in error) {
    return 'postgres';
  }
  const nested = [
    (error as { driverError?: unknown }).driverError,
    (error as { cause?: unknown }).cause,
    ...((error as { errors?: unknown }).errors instanceof Array
      ? ((error as { errors: unknown[] }).errors as unknown[])
      : []),
  ];
  for (const inner of nested) {
    const found = dependencyOutage(inner, depth + 1);
    if (found !== undefined) return found;
  }
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return 'a dependency';
  return undefined;
}
