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
  // The ISO 4217 codes the PSP settles in. Every one has two decimal places, so an amount
  // in minor units is cents in each; a currency with another exponent (JPY, BHD) would need
  // its own minor-unit rules before it could be added.
  currencies: ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'],
} as const;

export type SupportedCurrency = (typeof CAPTURE_PAYMENT_LIMITS.currencies)[number];

export function isSupportedCurrency(value: unknown): value is SupportedCurrency {
  return (
    typeof value === 'string' &&
    (CAPTURE_PAYMENT_LIMITS.currencies as readonly string[]).includes(value)
  );
}

export const UNSUPPORTED_CURRENCY_MESSAGE = `currency must be one of ${CAPTURE_PAYMENT_LIMITS.currencies.join(', ')} (ISO 4217)`;

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
