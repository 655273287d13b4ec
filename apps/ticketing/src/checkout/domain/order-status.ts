import type { SagaStatus } from '@suite/coordination';

// What a buyer sees of a checkout. The saga instance is the source of truth; the order
// status is derived from it on read, so the two can never disagree.
export type OrderStatus = 'pending' | 'completed' | 'failed' | 'needs-attention';

export const ORDER_STATUS_OF_SAGA: Readonly<Record<SagaStatus, OrderStatus>> = {
  running: 'pending',
  compensating: 'pending',
  completed: 'completed',
  // undone: no money kept, no seats sold
  compensated: 'failed',
  // a participant refused a compensation: an operator must look (see the README's runbook)
  failed: 'needs-attention',
};

// A quarantined saga is not terminal, but nothing drives it on until a person releases it:
// the buyer sees that it needs attention rather than a checkout pending forever.
export function orderStatusOf(saga: { status: SagaStatus; quarantinedAt: number | null }) {
  return saga.quarantinedAt !== null ? 'needs-attention' : ORDER_STATUS_OF_SAGA[saga.status];
}

export function isFinal(status: OrderStatus): boolean {
  return status !== 'pending';
}

// Why a checkout did not complete, as a buyer sees it: a stable code and a fixed sentence.
// A participant's own reason (a PSP's decline text, a seat id, a fencing token) stays in the
// saga's history for operators and never reaches the buyer.
export const ORDER_FAILURE_REASONS = {
  'hold-not-valid': 'the hold had expired or was no longer active',
  'payment-declined': 'the payment was declined',
  'payment-unavailable': 'the payment could not be completed in time',
  'seats-unavailable': 'the seats could no longer be sold to this order',
  'checkout-timed-out': 'the checkout could not be completed in time',
  'checkout-failed': 'the checkout could not be completed',
  'needs-attention': 'the checkout is waiting for a person to look at it',
} as const;
export type OrderFailureCode = keyof typeof ORDER_FAILURE_REASONS;

export interface OrderFailure {
  reason: OrderFailureCode;
  reasonMessage: string;
}

const failure = (reason: OrderFailureCode): OrderFailure => ({
  reason,
  reasonMessage: ORDER_FAILURE_REASONS[reason],
});

// The first step that failed or gave up decides the code; a step refused outright and a step
// that ran out of attempts read differently only for the payment.
export function orderFailure(
  history: readonly { event: string; step?: string; detail?: Record<string, unknown> }[],
  status: OrderStatus,
): OrderFailure | undefined {
  if (status === 'completed' || status === 'pending') return undefined;
  const first = history.find((e) => e.event === 'step-failed' || e.event === 'step-gave-up');
  if (first === undefined) {
    return failure(status === 'needs-attention' ? 'needs-attention' : 'checkout-failed');
  }
  const gaveUp = first.event === 'step-gave-up';
  switch (first.step) {
    case 'verify-hold':
      return failure(gaveUp ? 'checkout-timed-out' : 'hold-not-valid');
    case 'capture-payment':
      return failure(gaveUp ? 'payment-unavailable' : 'payment-declined');
    case 'confirm-seats':
    case 'issue-tickets':
      return failure(gaveUp ? 'checkout-timed-out' : 'seats-unavailable');
    default:
      return failure(gaveUp ? 'checkout-timed-out' : 'checkout-failed');
  }
}
