import { canMove, checkoutEligibility, effectiveStatus, seatFence, type Hold } from './hold';

const hold: Hold = {
  id: 'h1',
  eventId: 'e1',
  userId: 'alice',
  seatIds: ['A-1-1'],
  tokens: { 'A-1-1': 4294967297 },
  expiresAt: 10_000,
  status: 'active',
  orderId: null,
};

describe('hold', () => {
  it('counts an active hold past its expiry as expired', () => {
    expect(effectiveStatus(hold, 9_999)).toBe('active');
    expect(effectiveStatus(hold, 10_000)).toBe('expired');
    expect(effectiveStatus({ ...hold, status: 'purchased' }, 20_000)).toBe('purchased');
  });

  it('lets only the owner check out a live, active hold', () => {
    expect(checkoutEligibility(hold, 'alice', 1)).toEqual({ ok: true });
    expect(checkoutEligibility(hold, 'bob', 1)).toMatchObject({ ok: false, reason: 'not-owner' });
    expect(checkoutEligibility(hold, 'alice', 10_000)).toMatchObject({ reason: 'expired' });
    expect(checkoutEligibility({ ...hold, status: 'released' }, 'alice', 1)).toMatchObject({
      reason: 'not-active',
    });
  });

  it('never leaves a terminal status', () => {
    expect(canMove('active', 'checking-out')).toBe(true);
    expect(canMove('checking-out', 'purchased')).toBe(true);
    expect(canMove('released', 'active')).toBe(false);
    expect(canMove('expired', 'checking-out')).toBe(false);
  });

  it('names the fence of a seat after the hold scope', () => {
    expect(seatFence('e1', 'A-1-1')).toBe('event:e1/A-1-1');
  });
});
