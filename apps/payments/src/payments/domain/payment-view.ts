import type { PaymentStatus } from './payment-status';

// What clients see of a payment (never the ORM record).
export interface PaymentView {
  id: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  merchantReference: string;
  refundedMinor: number;
  failureReason: string | null;
  createdAt: string;
}

export function toPaymentView(payment: {
  id: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  merchantReference: string;
  refundedMinor: number;
  failureReason: string | null;
  createdAt: Date;
}): PaymentView {
  return {
    id: payment.id,
    status: payment.status,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    merchantReference: payment.merchantReference,
    refundedMinor: payment.refundedMinor,
    failureReason: payment.failureReason,
    createdAt: payment.createdAt.toISOString(),
  };
}

// The response stored under the idempotency key and replayed to every retry: 201 for
// money captured, 402 for a payment that failed.
export function paymentResponse(payment: Parameters<typeof toPaymentView>[0]): {
  status: number;
  body: unknown;
} {
  const view = toPaymentView(payment);
  if (payment.status === 'failed') {
    return {
      status: 402,
      body: {
        statusCode: 402,
        error: 'payment_failed',
        message: `the payment failed: ${payment.failureReason ?? 'unknown reason'}`,
        payment: view,
      },
    };
  }
  return { status: 201, body: view };
}
