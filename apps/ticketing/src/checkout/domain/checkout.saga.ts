import {
  PAYMENT_COMMAND_TYPES,
  TICKETING_COMMAND_TYPES,
  type CapturePaymentPayload,
  type RefundPaymentPayload,
} from '@suite/contracts';
import type { RetryPolicy, SagaDefinition } from '@suite/coordination';

export const CHECKOUT_SAGA = 'ticketing.checkout';

export const CHECKOUT_STEPS = {
  verifyHold: 'verify-hold',
  capturePayment: 'capture-payment',
  confirmSeats: 'confirm-seats',
  issueTickets: 'issue-tickets',
} as const;

// What the saga carries from step to step (persisted as JSON with the instance).
export interface CheckoutContext extends Record<string, unknown> {
  orderId: string;
  holdId: string;
  eventId: string;
  userId: string;
  seatIds: string[];
  tokens: Record<string, number>;
  amountMinor: number;
  currency: string;
  paymentSource: string;
  // Set by the capture step's reply.
  paymentId?: string;
}

export interface CheckoutSagaOptions {
  ticketingCommandsTopic: string;
  paymentsCommandsTopic: string;
  replyTopic: string;
  stepTimeoutMs: number;
  paymentTimeoutMs: number;
}

// The steps, in order: verify the hold, capture the payment, confirm the seats with a
// fenced write, issue the tickets. Undone newest first: unsell the seats, refund, release
// the hold. A verification changes nothing, but its compensation releases the hold, which
// is the last thing every compensated checkout must do.
export function checkoutSaga(options: CheckoutSagaOptions): SagaDefinition<CheckoutContext> {
  const local = (timeoutMs: number): RetryPolicy & { timeoutMs: number } => ({
    timeoutMs,
    maxAttempts: 5,
    initialBackoffMs: 100,
    maxBackoffMs: 2_000,
  });
  const retry = (p: RetryPolicy) => ({
    maxAttempts: p.maxAttempts,
    initialBackoffMs: p.initialBackoffMs,
    maxBackoffMs: p.maxBackoffMs,
  });
  const ticketing = (type: string, payload: Record<string, unknown>) => ({
    topic: options.ticketingCommandsTopic,
    type,
    payload,
  });
  const step = local(options.stepTimeoutMs);
  const payment = local(options.paymentTimeoutMs);
  return {
    type: CHECKOUT_SAGA,
    replyTopic: options.replyTopic,
    steps: [
      {
        name: CHECKOUT_STEPS.verifyHold,
        timeoutMs: step.timeoutMs,
        retry: retry(step),
        action: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.verifyHold, {
            holdId: c.holdId,
            orderId: c.orderId,
            userId: c.userId,
          }),
        compensation: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.releaseHold, { holdId: c.holdId, orderId: c.orderId }),
      },
      {
        name: CHECKOUT_STEPS.capturePayment,
        timeoutMs: payment.timeoutMs,
        retry: retry(payment),
        action: (c) => {
          const payload: CapturePaymentPayload = {
            amountMinor: c.amountMinor,
            currency: c.currency,
            sourceToken: c.paymentSource,
            merchantReference: c.orderId,
          };
          return {
            topic: options.paymentsCommandsTopic,
            type: PAYMENT_COMMAND_TYPES.capture,
            payload: { ...payload },
          };
        },
        compensation: (c) => {
          // Without a payment id (the capture timed out), payments finds the capture by
          // the step's idempotency key.
          const payload: RefundPaymentPayload = {
            amountMinor: c.amountMinor,
            ...(c.paymentId ? { paymentId: c.paymentId } : {}),
          };
          return {
            topic: options.paymentsCommandsTopic,
            type: PAYMENT_COMMAND_TYPES.refund,
            payload: { ...payload },
          };
        },
      },
      {
        name: CHECKOUT_STEPS.confirmSeats,
        timeoutMs: step.timeoutMs,
        retry: retry(step),
        action: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.confirmSeats, {
            orderId: c.orderId,
            holdId: c.holdId,
            eventId: c.eventId,
            userId: c.userId,
            tokens: c.tokens,
          }),
        compensation: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.unconfirmSeats, { orderId: c.orderId }),
      },
      {
        name: CHECKOUT_STEPS.issueTickets,
        timeoutMs: step.timeoutMs,
        retry: retry(step),
        action: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.issueTickets, {
            orderId: c.orderId,
            userId: c.userId,
          }),
      },
    ],
  };
}
