import { PAYMENT_COMMAND_TYPES, PAYMENT_EVENT_TYPES } from './payments';

describe('payment message types', () => {
  it('are unique across commands and events', () => {
    const all = [...Object.values(PAYMENT_COMMAND_TYPES), ...Object.values(PAYMENT_EVENT_TYPES)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('name the checkout saga commands the way the saga sends them', () => {
    expect(PAYMENT_COMMAND_TYPES).toEqual({ capture: 'CapturePayment', refund: 'RefundPayment' });
  });
});
