// A payment's life, as a table: the table is the source of truth, and every status
// change goes through transition(), so an illegal move is a bug that throws.
//
//   pending      created, the PSP has not been called
//   processing   the PSP may have been called: only the PSP (by key) knows the outcome
//   captured     charged; the ledger holds the capture
//   failed       not charged (declined, or the PSP confirmed there is no charge)
//   partially_refunded / refunded
export type PaymentStatus =
  | 'pending'
  | 'processing'
  | 'captured'
  | 'failed'
  | 'partially_refunded'
  | 'refunded';

export type PaymentEvent =
  | 'start_charge'
  | 'charge_succeeded'
  | 'charge_declined'
  | 'charge_not_made'
  | 'abandon'
  | 'refund_partial'
  | 'refund_full';

export const PAYMENT_TRANSITIONS: Readonly<
  Record<PaymentStatus, Partial<Record<PaymentEvent, PaymentStatus>>>
> = {
  pending: { start_charge: 'processing', abandon: 'failed' },
  processing: {
    charge_succeeded: 'captured',
    charge_declined: 'failed',
    charge_not_made: 'failed',
  },
  captured: { refund_partial: 'partially_refunded', refund_full: 'refunded' },
  partially_refunded: { refund_partial: 'partially_refunded', refund_full: 'refunded' },
  failed: {},
  refunded: {},
};

export class IllegalPaymentTransitionError extends Error {
  readonly code = 'PAYMENT_ILLEGAL_TRANSITION';
  constructor(
    readonly from: PaymentStatus,
    readonly event: PaymentEvent,
  ) {
    super(`payment cannot ${event} from ${from}`);
  }
}

export function transition(from: PaymentStatus, event: PaymentEvent): PaymentStatus {
  const to = PAYMENT_TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalPaymentTransitionError(from, event);
  return to;
}

export function canTransition(from: PaymentStatus, event: PaymentEvent): boolean {
  return PAYMENT_TRANSITIONS[from][event] !== undefined;
}

// The PSP has given its final word: nothing but refunds can change the money now.
export function isSettled(status: PaymentStatus): boolean {
  return status !== 'pending' && status !== 'processing';
}

export function isRefundable(status: PaymentStatus): boolean {
  return status === 'captured' || status === 'partially_refunded';
}
