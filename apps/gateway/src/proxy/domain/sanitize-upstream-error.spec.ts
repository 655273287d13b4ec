import { sanitizeUpstreamError } from './sanitize-upstream-error';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const JSON_TYPE = 'application/json; charset=utf-8';

describe('sanitizing upstream 5xx bodies', () => {
  it('keeps a deliberate one-line message and drops every other field', () => {
    const body = sanitizeUpstreamError(
      'payments',
      503,
      json({
        statusCode: 503,
        error: 'payment_outcome_unknown',
        message: 'the card processor did not answer; retry with the same Idempotency-Key',
        stack: 'Error: boom\n    at Object.<anonymous> (/app/src/x.ts:1:1)',
        detail: { sql: 'SELECT 1' },
      }),
      JSON_TYPE,
    );
    expect(body).toEqual({
      statusCode: 503,
      error: 'payment_outcome_unknown',
      message: 'the card processor did not answer; retry with the same Idempotency-Key',
    });
  });

  it.each([
    ['a stack trace', 'Error: boom\n    at handler (/work/app/src/holds.ts:10:5)'],
    ['a source location', 'failed in holds.repository.ts:42'],
    ['a socket error', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ['a driver error', 'QueryFailedError: duplicate key value violates unique constraint'],
    ['a connection URL', 'cannot reach postgres://postgres@db:5432/ticketing'],
    ['an overlong message', 'x'.repeat(301)],
  ])('replaces a message that carries %s', (_what, message) => {
    expect(sanitizeUpstreamError('ticketing', 500, json({ message }), JSON_TYPE)).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'ticketing could not handle the request',
    });
  });

  it('replaces a body that is not JSON', () => {
    const html = Buffer.from('<html><pre>TypeError at /holds</pre></html>');
    expect(sanitizeUpstreamError('ticketing', 502, html, 'text/html').message).toBe(
      'ticketing could not handle the request',
    );
    expect(sanitizeUpstreamError('ticketing', 500, Buffer.from('{oops'), JSON_TYPE).error).toBe(
      'Internal Server Error',
    );
  });

  it('replaces an error field that is not a short token', () => {
    expect(
      sanitizeUpstreamError(
        'ticketing',
        500,
        json({ error: { code: 'X' }, message: 'internal error' }),
        JSON_TYPE,
      ),
    ).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
