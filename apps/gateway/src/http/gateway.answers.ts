import { HttpException } from '@nestjs/common';
import { retryAfterSeconds } from '@suite/contracts';
import type { FastifyReply } from 'fastify';
import type { AnswersTo, HttpAnswer } from '@suite/service-kit';
import type { BearerRefused } from '../auth/optional-bearer.guard';
import type { IdempotencyKeyRefused } from '../idempotency/domain/idempotency-key';
import type { RateLimited } from '../limits/domain/rate-limited';
import type { ProxyOutcome } from '../proxy/proxy-relay';
import type { OwnDomainRefused } from '../proxy/rate-limits/own-domain';

// What the gateway refuses itself, before any upstream is called.
export type GatewayRefusal = RateLimited | IdempotencyKeyRefused | BearerRefused | OwnDomainRefused;

// The error shape every service answers ({ statusCode, error, message }), plus the details
// a client needs, such as which limit refused.
const refusal = (
  status: number,
  error: string,
  message: string,
  headers?: Record<string, string>,
  details: Record<string, unknown> = {},
): HttpAnswer => ({
  status,
  body: { statusCode: status, error, message, ...details },
  ...(headers !== undefined ? { headers } : {}),
});

// The code of a 429 the gateway's own limits answered. A service behind it answers 429s of
// its own (ticketing's hold admission: "hold-admission-full"), passed through as they came;
// the code tells a client which limit to wait for.
export const RATE_LIMITED_CODE = 'rate-limited';

// Every outcome of a proxied call and every refusal of the gateway's own, and the HTTP
// answer each gets. Controllers, guards and hooks look their answers up here.
export const HTTP_ANSWERS: {
  readonly proxy: AnswersTo<ProxyOutcome>;
  readonly refusal: AnswersTo<GatewayRefusal>;
} = {
  proxy: {
    // The upstream's answer as it came, minus the hop-by-hop headers.
    answered: ({ status, headers, body }) => ({ status, headers, body }),
    // An upstream 5xx: its status and headers, with a body rebuilt from what is safe to show.
    'upstream-error': ({ status, headers, error }) => ({
      status,
      headers: { ...headers, 'content-type': 'application/json' },
      body: error,
    }),
    'timed-out': ({ upstream, timeoutMs }) =>
      refusal(504, 'Gateway Timeout', `${upstream} did not answer within ${timeoutMs} ms`),
    'circuit-open': ({ upstream, retryAfterMs }) => {
      const retryAfter = retryAfterSeconds(retryAfterMs);
      return refusal(
        503,
        'Service Unavailable',
        `${upstream} is unavailable: its circuit is open after repeated failures; retry after ${retryAfter} s`,
        { 'retry-after': String(retryAfter) },
      );
    },
    // Unreachable or an oversized answer: the socket code stays in the log.
    unreachable: ({ upstream }) => refusal(502, 'Bad Gateway', `${upstream} could not be reached`),
    'response-too-large': ({ upstream }) =>
      refusal(502, 'Bad Gateway', `${upstream} could not be reached`),
  },
  refusal: {
    'rate-limited': ({ deniedBy }) => {
      const retryAfter = retryAfterSeconds(deniedBy.decision.retryAfterMs);
      return refusal(
        429,
        'Too Many Requests',
        `rate limit "${deniedBy.name}" exceeded: ${deniedBy.decision.limit} requests per ${Math.round(deniedBy.windowMs / 1000)} s; retry after ${retryAfter} s`,
        { 'retry-after': String(retryAfter) },
        { code: RATE_LIMITED_CODE },
      );
    },
    'idempotency-key-refused': ({ message }) => refusal(400, 'Bad Request', message),
    // The same 401 as the JWT guard's: RFC 6750 WWW-Authenticate with the reason.
    'bearer-refused': ({ error, message }) =>
      refusal(401, 'Unauthorized', message, {
        'www-authenticate': `Bearer error="${error}", error_description="${message.replace(/"/g, "'")}"`,
      }),
    'own-domain': ({ domain }) =>
      refusal(
        403,
        'Forbidden',
        `domain "${domain}" holds the gateway's own limits and cannot be used through this route`,
      ),
  },
};

// A guard refuses by throwing: the answer's headers go on the reply here, and its status
// and body reach the client through the chassis' exception filter.
export function refusedBy(reply: FastifyReply, answer: HttpAnswer): HttpException {
  for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
  return new HttpException(answer.body as Record<string, unknown>, answer.status);
}
