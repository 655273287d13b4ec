import { SAGA_STATUSES } from '@suite/coordination';
import { failureReason, isFinal, ORDER_STATUS_OF_SAGA, orderStatusOf } from './order-status';

describe('order status', () => {
  it('is pending exactly while the saga is not terminal', () => {
    for (const status of SAGA_STATUSES) {
      const pending = status === 'running' || status === 'compensating';
      expect(isFinal(ORDER_STATUS_OF_SAGA[status])).toBe(!pending);
    }
  });

  it('needs attention while its saga is quarantined, whatever the saga status', () => {
    expect(orderStatusOf({ status: 'running', quarantinedAt: 1 })).toBe('needs-attention');
    expect(orderStatusOf({ status: 'compensating', quarantinedAt: null })).toBe('pending');
  });

  it('reports the first step failure as the reason', () => {
    expect(
      failureReason([
        { event: 'started' },
        { event: 'step-failed', detail: { reason: 'card declined' } },
        { event: 'compensation-failed', detail: { reason: 'later' } },
      ]),
    ).toBe('card declined');
    expect(failureReason([{ event: 'completed' }])).toBeUndefined();
  });
});
