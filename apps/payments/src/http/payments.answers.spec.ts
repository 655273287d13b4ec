import { HTTP_ANSWERS } from './payments.answers';
import { answerOf } from '@suite/service-kit';

describe('payments HTTP answers', () => {
  it('answers a stored response as stored, marked as a replay only when it is one', () => {
    const response = { status: 201, body: { id: 'p-1' } };
    expect(
      answerOf(HTTP_ANSWERS.createPayment, { kind: 'responded', response, replayed: false }),
    ).toEqual({ status: 201, body: { id: 'p-1' }, replayed: false });
    expect(
      answerOf(HTTP_ANSWERS.refundPayment, { kind: 'responded', response, replayed: true }),
    ).toEqual({ status: 201, body: { id: 'p-1' }, replayed: true });
  });

  it('asks a caller whose key is still in flight to come back in whole seconds, at least one', () => {
    const answer = (retryAfterMs: number) =>
      answerOf(HTTP_ANSWERS.createPayment, { kind: 'in-progress', retryAfterMs });
    expect(answer(2_500)).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'request_in_progress',
        message: 'a request with this Idempotency-Key is still in progress',
      },
      headers: { 'retry-after': '3' },
    });
    expect(answer(10).headers).toEqual({ 'retry-after': '1' });
  });

  it('refuses a reused or malformed key alike on both routes that take one', () => {
    for (const answers of [HTTP_ANSWERS.createPayment, HTTP_ANSWERS.refundPayment]) {
      expect(answerOf(answers, { kind: 'payload-mismatch' })).toEqual({
        status: 422,
        body: {
          statusCode: 422,
          error: 'idempotency_key_reused',
          message: 'this Idempotency-Key was used with a different request',
        },
      });
      expect(answerOf(answers, { kind: 'invalid-key', reason: 'too long' })).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          error: 'invalid_idempotency_key',
          message: 'Idempotency-Key: too long',
        },
      });
    }
  });

  it('answers an unknown PSP outcome with 503 and a retry in one second', () => {
    const payment = answerOf(HTTP_ANSWERS.createPayment, {
      kind: 'outcome-unknown',
      paymentId: 'p-1',
      reason: 'timeout',
    });
    expect(payment.status).toBe(503);
    expect(payment.body).toMatchObject({ error: 'payment_outcome_unknown' });
    expect(payment.headers).toEqual({ 'retry-after': '1' });
    const refund = answerOf(HTTP_ANSWERS.refundPayment, {
      kind: 'outcome-unknown',
      reason: 'timeout',
    });
    expect(refund).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(refund.body).toMatchObject({ error: 'refund_outcome_unknown' });
  });

  it('answers a payment the caller may not see with the 404 of an unknown one', () => {
    expect(answerOf(HTTP_ANSWERS.getPayment, { kind: 'not-found', paymentId: 'p-9' })).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'no payment p-9' },
    });
  });
});
