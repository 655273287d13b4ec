import type { PaymentStatus } from './payment-status';

// A payment as stored (table payments): what it charges, where it stands, and the key
// it was asked under.
export interface Payment {
  id: string;
  idempotencyScope: string;
  idempotencyKey: string;
  // The PSP's idempotency key: the payment's own id, stable across retries.
  pspKey: string;
  amountMinor: number;
  currency: string;
  sourceToken: string;
  merchantReference: string;
  status: PaymentStatus;
  pspChargeId: string | null;
  failureReason: string | null;
  refundedMinor: number;
  // When the last PSP charge call began (committed before the call), null before the first.
  chargeAttemptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

// A refund of a payment (table payment_refunds), keyed like the payment.
export interface Refund {
  id: string;
  paymentId: string;
  idempotencyScope: string;
  idempotencyKey: string;
  amountMinor: number;
  status: RefundStatus;
  pspRefundId: string | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
