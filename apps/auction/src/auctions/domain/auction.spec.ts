import { decideBid, phaseOf, validateNewAuction, winnerOf, type AuctionState } from './auction';

const auction = (over: Partial<AuctionState> = {}): AuctionState => ({
  id: 'a1',
  sellerId: 'seller',
  title: 'lamp',
  reservePrice: 500,
  bidIncrement: 100,
  startsAt: 1_000,
  scheduledEndsAt: 10_000,
  endsAt: 10_000,
  extensionWindowMs: 0,
  status: 'open',
  highAmount: null,
  highBidderId: null,
  bidCount: 0,
  closedAt: null,
  winnerId: null,
  winningAmount: null,
  ...over,
});

describe('bid decision', () => {
  it('accepts a first bid that reaches the increment', () => {
    expect(decideBid(auction(), { bidderId: 'b', amount: 100 }, 2_000)).toEqual({
      ok: true,
      endsAt: 10_000,
    });
  });

  it('rejects a bid that does not beat the high by the increment', () => {
    const state = auction({ highAmount: 300, highBidderId: 'x' });
    expect(decideBid(state, { bidderId: 'b', amount: 399 }, 2_000)).toEqual({
      ok: false,
      reason: 'too-low',
    });
    expect(decideBid(state, { bidderId: 'b', amount: 400 }, 2_000).ok).toBe(true);
  });

  it('rejects the seller, before the start, and at or after the end', () => {
    expect(decideBid(auction(), { bidderId: 'seller', amount: 900 }, 2_000)).toEqual({
      ok: false,
      reason: 'seller-cannot-bid',
    });
    expect(decideBid(auction(), { bidderId: 'b', amount: 900 }, 999)).toEqual({
      ok: false,
      reason: 'not-open',
    });
    expect(decideBid(auction(), { bidderId: 'b', amount: 900 }, 10_000)).toEqual({
      ok: false,
      reason: 'closed',
    });
    expect(decideBid(auction({ status: 'closed' }), { bidderId: 'b', amount: 900 }, 2_000)).toEqual(
      { ok: false, reason: 'closed' },
    );
  });

  it('moves the end on a bid inside the anti-sniping window, never earlier', () => {
    const state = auction({ extensionWindowMs: 3_000 });
    expect(decideBid(state, { bidderId: 'b', amount: 100 }, 8_000)).toEqual({
      ok: true,
      endsAt: 11_000,
    });
    expect(decideBid(state, { bidderId: 'b', amount: 100 }, 6_000)).toEqual({
      ok: true,
      endsAt: 10_000,
    });
  });
});

describe('winner', () => {
  it('is the highest bidder at or above the reserve, else nobody', () => {
    expect(winnerOf(auction({ highAmount: 500, highBidderId: 'b' }))).toEqual({
      winnerId: 'b',
      winningAmount: 500,
    });
    expect(winnerOf(auction({ highAmount: 499, highBidderId: 'b' }))).toBeNull();
    expect(winnerOf(auction())).toBeNull();
  });
});

describe('new auction', () => {
  const valid = {
    sellerId: 's',
    title: 't',
    reservePrice: 0,
    bidIncrement: 1,
    startsAt: 0,
    endsAt: 5_000,
    extensionWindowMs: 0,
  };

  it('accepts a well-formed auction', () => {
    expect(validateNewAuction(valid, 1_000)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(validateNewAuction({ ...valid, endsAt: 0 }, -1)).toBe('ends-before-start');
    expect(validateNewAuction(valid, 5_000)).toBe('ends-in-the-past');
    expect(validateNewAuction({ ...valid, bidIncrement: 0 }, 0)).toBe('increment-not-positive');
  });
});

describe('phase', () => {
  it('reads scheduled, open, ended (awaiting the closer) and closed', () => {
    expect(phaseOf(auction(), 500)).toBe('scheduled');
    expect(phaseOf(auction(), 5_000)).toBe('open');
    expect(phaseOf(auction(), 10_000)).toBe('ended');
    expect(phaseOf(auction({ status: 'closed' }), 5_000)).toBe('closed');
  });
});
