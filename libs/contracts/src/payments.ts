// The payments service's messages: the commands the checkout saga sends it on
// TOPICS.paymentsCommands, and the events it publishes on TOPICS.paymentsEvents.
// Amounts are integers in minor units (cents); currencies are ISO 4217 codes.

export const PAYMENT_COMMAND_TYPES = {
  capture: 'CapturePayment',
  refund: 'RefundPayment',
} as const;

export type PaymentCommandType = (typeof PAYMENT_COMMAND_TYPES)[keyof typeof PAYMENT_COMMAND_TYPES];

// What payments (and the card processor behind it) accept for one capture. A sender that
// bounds its own inputs to these never sees a capture refused as malformed.
export const CAPTURE_PAYMENT_LIMITS = {
  // Minor units; the PSP's ceiling, far inside the bigint column.
  minAmountMinor: 1,
  maxAmountMinor: 100_000_000,
  // The PSP refuses a longer source token.
  maxSourceTokenLength: 100,
  maxMerchantReferenceLength: 200,
  currencyPattern: /^[A-Z]{3}$/,
} as const;

// The saga step's idempotency key becomes the payment's key, so a resent command
// captures once.
export interface CapturePaymentPayload {
  amountMinor: number;
  currency: string;
  sourceToken: string;
  // The order (or checkout) the money is for.
  merchantReference: string;
}

// Refunds what the saga's capture step captured: by payment id when the capture replied
// with one, otherwise by the capture step's idempotency key.
export interface RefundPaymentPayload {
  paymentId?: string;
  captureIdempotencyKey?: string;
  amountMinor?: number;
}

export const PAYMENT_EVENT_TYPES = {
  captured: 'PaymentCaptured',
  failed: 'PaymentFailed',
  refunded: 'PaymentRefunded',
} as const;

export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[keyof typeof PAYMENT_EVENT_TYPES];

export interface PaymentEvent {
  type: PaymentEventType;
  paymentId: string;
  merchantReference: string;
  amountMinor: number;
  currency: string;
  occurredAt: string;
  // PaymentRefunded: this refund's amount; PaymentFailed: why.
  refundId?: string;
  refundedMinor?: number;
  reason?: string;
}
