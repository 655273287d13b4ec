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

// How long each kind of step waits for a reply and how often it tries. Backoffs are fixed:
// the budgets are tuned through the attempts and timeouts.
export interface CheckoutStepBudgets {
  stepTimeoutMs: number;
  stepMaxAttempts: number;
  paymentTimeoutMs: number;
  paymentMaxAttempts: number;
}

export interface CheckoutSagaOptions extends CheckoutStepBudgets {
  ticketingCommandsTopic: string;
  paymentsCommandsTopic: string;
  replyTopic: string;
}

export interface StepPolicy {
  timeoutMs: number;
  retry: RetryPolicy;
}

const BACKOFF = { initialBackoffMs: 100, maxBackoffMs: 2_000 } as const;

// The policies the saga runs with: the ticketing steps' (answered by ticketing's command
// consumer) and the capture's (answered by payments'). The config check at boot measures
// these same objects.
export function checkoutStepPolicies(budgets: CheckoutStepBudgets): {
  ticketing: StepPolicy;
  payment: StepPolicy;
} {
  return {
    ticketing: {
      timeoutMs: budgets.stepTimeoutMs,
      retry: { maxAttempts: budgets.stepMaxAttempts, ...BACKOFF },
    },
    payment: {
      timeoutMs: budgets.paymentTimeoutMs,
      retry: { maxAttempts: budgets.paymentMaxAttempts, ...BACKOFF },
    },
  };
}

// The steps, in order: verify the hold, capture the payment, confirm the seats with a
// fenced write, issue the tickets. Undone newest first: unsell the seats, refund, release
// the hold. A verification changes nothing, but its compensation releases the hold, which
// is the last thing every compensated checkout must do.
export function checkoutSaga(options: CheckoutSagaOptions): SagaDefinition<CheckoutContext> {
  const ticketing = (type: string, payload: Record<string, unknown>) => ({
    topic: options.ticketingCommandsTopic,
    type,
    payload,
  });
  const { ticketing: step, payment } = checkoutStepPolicies(options);
  return {
    type: CHECKOUT_SAGA,
    replyTopic: options.replyTopic,
    steps: [
      {
        name: CHECKOUT_STEPS.verifyHold,
        timeoutMs: step.timeoutMs,
        retry: step.retry,
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
        retry: payment.retry,
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
        retry: step.retry,
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
        retry: step.retry,
        action: (c) =>
          ticketing(TICKETING_COMMAND_TYPES.issueTickets, {
            orderId: c.orderId,
            userId: c.userId,
          }),
      },
    ],
  };
}
