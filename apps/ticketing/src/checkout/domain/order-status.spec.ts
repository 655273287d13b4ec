import { SAGA_STATUSES } from '@suite/coordination';
import { isFinal, ORDER_STATUS_OF_SAGA, orderFailure, orderStatusOf } from './order-status';

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

  it('shows a stable public reason for the first failed step, not the participant words', () => {
    const declined = orderFailure(
      [
        { event: 'started' },
        { event: 'step-failed', step: 'capture-payment', detail: { reason: 'card declined' } },
        { event: 'compensation-failed', step: 'verify-hold', detail: { reason: 'later' } },
      ],
      'failed',
    );
    expect(declined).toEqual({
      reason: 'payment-declined',
      reasonMessage: 'the payment was declined',
    });
    expect(
      orderFailure(
        [
          {
            event: 'step-failed',
            step: 'confirm-seats',
            detail: { reason: 'stale hold: token 3 < 4' },
          },
        ],
        'failed',
      ),
    ).toEqual({ reason: 'seats-unavailable', reasonMessage: expect.any(String) });
    expect(
      orderFailure([{ event: 'step-gave-up', step: 'capture-payment' }], 'failed')?.reason,
    ).toBe('payment-unavailable');
    expect(orderFailure([{ event: 'step-failed', step: 'verify-hold' }], 'failed')?.reason).toBe(
      'hold-not-valid',
    );
    expect(orderFailure([], 'needs-attention')?.reason).toBe('needs-attention');
  });

  it('shows no reason on a completed or pending order', () => {
    const history = [{ event: 'step-failed', step: 'capture-payment' }];
    expect(orderFailure(history, 'completed')).toBeUndefined();
    expect(orderFailure(history, 'pending')).toBeUndefined();
  });
});
