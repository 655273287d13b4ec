// The payments service's messages: the commands the checkout saga sends it on
// TOPICS.paymentsCommands, and the events it publishes on TOPICS.paymentsEvents.
// Amounts are integers in minor units (cents); currencies are ISO 4217 codes.

export const PAYMENT_COMMAND_TYPES = {
  capture: 'CapturePayment',
  refund: 'RefundPayment',
} as const;

export type PaymentCommandType = (typeof PAYMENT_COMMAND_TYPES)[keyof typeof PAYMENT_COMMAND_TYPES];

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
