import {
  IllegalPaymentTransitionError,
  PAYMENT_TRANSITIONS,
  isSettled,
  transition,
  type PaymentStatus,
} from './payment-status';

describe('payment status transitions', () => {
  it('follows the happy path from pending to refunded', () => {
    let status: PaymentStatus = 'pending';
    status = transition(status, 'start_charge');
    status = transition(status, 'charge_succeeded');
    status = transition(status, 'refund_partial');
    status = transition(status, 'refund_full');
    expect(status).toBe('refunded');
  });

  it('fails a declined charge and never lets it be captured afterwards', () => {
    const failed = transition('processing', 'charge_declined');
    expect(failed).toBe('failed');
    expect(() => transition(failed, 'charge_succeeded')).toThrow(IllegalPaymentTransitionError);
  });

  it('never captures a payment whose charge has not started', () => {
    expect(() => transition('pending', 'charge_succeeded')).toThrow(
      'payment cannot charge_succeeded from pending',
    );
  });

  it('has no way out of failed or refunded', () => {
    expect(PAYMENT_TRANSITIONS.failed).toEqual({});
    expect(PAYMENT_TRANSITIONS.refunded).toEqual({});
  });

  it('counts only pending and processing as unsettled', () => {
    const statuses = Object.keys(PAYMENT_TRANSITIONS) as PaymentStatus[];
    expect(statuses.filter((s) => !isSettled(s))).toEqual(['pending', 'processing']);
  });
});
