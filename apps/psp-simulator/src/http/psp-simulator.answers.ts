import { type AnswersTo, refusal } from '@suite/service-kit';
import type { CreateChargeResult } from '../charges/create-charge/create-charge.use-case';
import type { CreateRefundResult } from '../charges/create-refund/create-refund.use-case';

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves.
export const HTTP_ANSWERS: {
  readonly createCharge: AnswersTo<CreateChargeResult>;
  readonly createRefund: AnswersTo<CreateRefundResult>;
} = {
  createCharge: {
    succeeded: ({ charge, replayed }) => ({ status: 201, body: charge, replayed }),
    declined: ({ charge, replayed }) => ({
      status: 402,
      body: { statusCode: 402, error: 'card_declined', message: 'the card was declined', charge },
      replayed,
    }),
    'key-reused': () =>
      refusal(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was used for a different charge',
      ),
    // A well-formed URL this simulator is not configured to call: refused for what it
    // asks, not how, so 422 rather than 400.
    'callback-not-allowed': ({ origin }) =>
      refusal(
        422,
        'callback_origin_not_allowed',
        `callbackUrl must be on a configured callback origin (PSP_CALLBACK_ORIGINS); ${origin} is not one`,
      ),
    unavailable: () =>
      refusal(503, 'processing_error', 'simulated processing error; nothing was charged'),
  },
  createRefund: {
    refunded: ({ refund, replayed }) => ({ status: 201, body: refund, replayed }),
    'key-reused': () =>
      refusal(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was used for a different refund',
      ),
    'charge-not-found': ({ chargeId }) => refusal(404, 'charge_not_found', `no charge ${chargeId}`),
    'not-refundable': () =>
      refusal(409, 'charge_not_refundable', 'only a succeeded charge can be refunded'),
    'exceeds-charge': ({ refundableMinor }) =>
      refusal(422, 'amount_too_large', `at most ${refundableMinor} can still be refunded`),
    unavailable: () =>
      refusal(503, 'processing_error', 'simulated processing error; nothing was refunded'),
  },
};
