import { HTTP_ANSWERS } from './gateway.answers';
import { answerOf } from '@suite/service-kit';

const error = (
  status: number,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
) => ({
  statusCode: status,
  error: reason,
  message,
  ...details,
});

describe("the gateway's answers", () => {
  it('passes an upstream answer on with its status, headers and bytes', () => {
    const body = Buffer.from('{"id":"h1"}');
    const answer = answerOf(HTTP_ANSWERS.proxy, {
      kind: 'answered',
      status: 201,
      headers: { 'content-type': 'application/json', location: '/holds/h1' },
      body,
    });
    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', location: '/holds/h1' },
      body,
    });
  });

  it('answers an upstream 5xx with its status and headers and the sanitised body as JSON', () => {
    const answer = answerOf(HTTP_ANSWERS.proxy, {
      kind: 'upstream-error',
      status: 503,
      headers: { 'retry-after': '2' },
      error: error(503, 'Service Unavailable', 'ticketing could not handle the request'),
    });
    expect(answer).toEqual({
      status: 503,
      headers: { 'retry-after': '2', 'content-type': 'application/json' },
      body: error(503, 'Service Unavailable', 'ticketing could not handle the request'),
    });
  });

  it('answers 504 when the upstream did not answer in time', () => {
    expect(
      answerOf(HTTP_ANSWERS.proxy, { kind: 'timed-out', upstream: 'auction', timeoutMs: 250 }),
    ).toEqual({
      status: 504,
      body: error(504, 'Gateway Timeout', 'auction did not answer within 250 ms'),
    });
  });

  it('answers 503 with Retry-After in whole seconds while the circuit is open', () => {
    expect(
      answerOf(HTTP_ANSWERS.proxy, {
        kind: 'circuit-open',
        upstream: 'payments',
        retryAfterMs: 4_200,
      }),
    ).toEqual({
      status: 503,
      headers: { 'retry-after': '5' },
      body: error(
        503,
        'Service Unavailable',
        'payments is unavailable: its circuit is open after repeated failures; retry after 5 s',
      ),
    });
  });

  it('answers 502 naming the service, and nothing inside it, when no answer could be read', () => {
    const expected = {
      status: 502,
      body: error(502, 'Bad Gateway', 'ticketing could not be reached'),
    };
    expect(answerOf(HTTP_ANSWERS.proxy, { kind: 'unreachable', upstream: 'ticketing' })).toEqual(
      expected,
    );
    expect(
      answerOf(HTTP_ANSWERS.proxy, { kind: 'response-too-large', upstream: 'ticketing' }),
    ).toEqual(expected);
  });

  it('answers a spent rate limit 429 with the policy, its quota and Retry-After', () => {
    const answer = answerOf(HTTP_ANSWERS.refusal, {
      kind: 'rate-limited',
      deniedBy: {
        name: 'gateway.per-user',
        windowMs: 60_000,
        decision: {
          allowed: false,
          policy: 'gateway.per-user',
          limit: 120,
          remaining: 0,
          resetMs: 30_000,
          retryAfterMs: 2_500,
          source: 'redis',
          nowMs: 0,
        },
      },
    });
    expect(answer).toEqual({
      status: 429,
      headers: { 'retry-after': '3' },
      body: error(
        429,
        'Too Many Requests',
        'rate limit "gateway.per-user" exceeded: 120 requests per 60 s; retry after 3 s',
        { code: 'rate-limited' },
      ),
    });
  });

  it('answers a refused Idempotency-Key 400 with the reason', () => {
    expect(
      answerOf(HTTP_ANSWERS.refusal, {
        kind: 'idempotency-key-refused',
        message: 'send exactly one Idempotency-Key header',
      }),
    ).toEqual({
      status: 400,
      body: error(400, 'Bad Request', 'send exactly one Idempotency-Key header'),
    });
  });

  it('answers an unusable optional token 401 with an RFC 6750 challenge', () => {
    expect(
      answerOf(HTTP_ANSWERS.refusal, {
        kind: 'bearer-refused',
        error: 'invalid_request',
        message: 'Authorization header must be "Bearer <token>"',
      }),
    ).toEqual({
      status: 401,
      headers: {
        'www-authenticate':
          'Bearer error="invalid_request", error_description="Authorization header must be \'Bearer <token>\'"',
      },
      body: error(401, 'Unauthorized', 'Authorization header must be "Bearer <token>"'),
    });
  });

  it("answers 403 to a rate-limit call on the gateway's own domain", () => {
    expect(answerOf(HTTP_ANSWERS.refusal, { kind: 'own-domain', domain: 'gateway' })).toEqual({
      status: 403,
      body: error(
        403,
        'Forbidden',
        `domain "gateway" holds the gateway's own limits and cannot be used through this route`,
      ),
    });
  });
});
