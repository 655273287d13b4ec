import { type AnswersTo, refusal } from '@suite/service-kit';
import type { CreatePaymentOutcome } from '../payments/create-payment/create-payment.use-case';
import type { GetPaymentOutcome } from '../payments/get-payment/get-payment.use-case';
import type { RefundPaymentOutcome } from '../payments/refund-payment/refund-payment.use-case';

// The idempotency store's refusals, answered the same way on every route that takes a key.
type KeyRefusal =
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'payload-mismatch' }
  | { kind: 'invalid-key'; reason: string };

const KEY_REFUSALS: AnswersTo<KeyRefusal> = {
  'in-progress': ({ retryAfterMs }) => ({
    ...refusal(
      409,
      'request_in_progress',
      'a request with this Idempotency-Key is still in progress',
    ),
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  }),
  'payload-mismatch': () =>
    refusal(
      422,
      'idempotency_key_reused',
      'this Idempotency-Key was used with a different request',
    ),
  'invalid-key': ({ reason }) =>
    refusal(400, 'invalid_idempotency_key', `Idempotency-Key: ${reason}`),
};

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves. A response
// stored under an idempotency key (201, 402, and the refusals decided inside the request)
// is answered as stored, on the first request and on every replay.
export const HTTP_ANSWERS: {
  readonly createPayment: AnswersTo<CreatePaymentOutcome>;
  readonly refundPayment: AnswersTo<RefundPaymentOutcome>;
  readonly getPayment: AnswersTo<GetPaymentOutcome>;
} = {
  createPayment: {
    responded: ({ response, replayed }) => ({ ...response, replayed }),
    ...KEY_REFUSALS,
    'outcome-unknown': ({ paymentId }) => ({
      ...refusal(
        503,
        'payment_outcome_unknown',
        `the card processor did not answer; retry with the same Idempotency-Key (payment ${paymentId})`,
      ),
      headers: { 'retry-after': '1' },
    }),
  },
  refundPayment: {
    responded: ({ response, replayed }) => ({ ...response, replayed }),
    ...KEY_REFUSALS,
    'outcome-unknown': () => ({
      ...refusal(
        503,
        'refund_outcome_unknown',
        'the card processor did not answer; retry with the same Idempotency-Key',
      ),
      headers: { 'retry-after': '1' },
    }),
  },
  getPayment: {
    found: ({ payment }) => ({ status: 200, body: payment }),
    // An unknown payment and someone else's answer alike.
    'not-found': ({ paymentId }) => refusal(404, 'Not Found', `no payment ${paymentId}`),
  },
};
