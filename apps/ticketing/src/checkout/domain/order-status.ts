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

// The first reason a step gave for failing, for the buyer.
export function failureReason(
  history: readonly { event: string; detail?: Record<string, unknown> }[],
): string | undefined {
  for (const entry of history) {
    if (entry.event === 'step-failed' || entry.event === 'step-gave-up') {
      const reason = entry.detail?.['reason'];
      if (typeof reason === 'string') return reason;
    }
  }
  return undefined;
}
