// The auction as the service reasons about it: no Nest, no ORM. Amounts are integers in
// minor units; times are epoch milliseconds of the database's clock.

export interface NewAuction {
  sellerId: string;
  title: string;
  reservePrice: number;
  bidIncrement: number;
  startsAt: number;
  endsAt: number;
  // A bid this close to the end moves the end to the bid's time plus the window. 0: off.
  extensionWindowMs: number;
}

export interface AuctionState {
  id: string;
  sellerId: string;
  title: string;
  reservePrice: number;
  bidIncrement: number;
  startsAt: number;
  scheduledEndsAt: number;
  endsAt: number;
  extensionWindowMs: number;
  status: 'open' | 'closed';
  highAmount: number | null;
  highBidderId: string | null;
  bidCount: number;
  closedAt: number | null;
  winnerId: string | null;
  winningAmount: number | null;
}

export interface AcceptedBid {
  auctionId: string;
  seq: number;
  bidderId: string;
  amount: number;
  placedAt: number;
}

// Expected refusals, not errors: the controller maps each to an HTTP status.
export type BidRejection = 'not-found' | 'seller-cannot-bid' | 'closed' | 'not-open' | 'too-low';

export type BidOutcome =
  | {
      kind: 'accepted';
      seq: number;
      placedAt: number;
      highAmount: number;
      minimumBid: number;
      endsAt: number;
    }
  | {
      kind: 'rejected';
      reason: BidRejection;
      highAmount: number | null;
      minimumBid: number | null;
      endsAt: number | null;
    };

export type NewAuctionProblem =
  | 'ends-before-start'
  | 'ends-in-the-past'
  | 'increment-not-positive'
  | 'reserve-negative'
  | 'window-too-long';

const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;

export function validateNewAuction(auction: NewAuction, now: number): NewAuctionProblem | null {
  if (auction.endsAt <= auction.startsAt) return 'ends-before-start';
  if (auction.endsAt <= now) return 'ends-in-the-past';
  if (auction.bidIncrement <= 0) return 'increment-not-positive';
  if (auction.reservePrice < 0) return 'reserve-negative';
  if (auction.extensionWindowMs > MAX_WINDOW_MS) return 'window-too-long';
  return null;
}

export const minimumBid = (state: Pick<AuctionState, 'highAmount' | 'bidIncrement'>): number =>
  (state.highAmount ?? 0) + state.bidIncrement;

// The same rules as auction_place_bid (the migration), for the naive variant and for unit
// tests. The service's real decision is the SQL function, made under the row lock; this
// function alone decides nothing atomically.
export function decideBid(
  state: AuctionState,
  bid: { bidderId: string; amount: number },
  now: number,
): { ok: true; endsAt: number } | { ok: false; reason: Exclude<BidRejection, 'not-found'> } {
  if (state.sellerId === bid.bidderId) return { ok: false, reason: 'seller-cannot-bid' };
  if (state.status === 'closed' || now >= state.endsAt) return { ok: false, reason: 'closed' };
  if (now < state.startsAt) return { ok: false, reason: 'not-open' };
  if (bid.amount < minimumBid(state)) return { ok: false, reason: 'too-low' };
  const extend = state.extensionWindowMs > 0 && state.endsAt - now < state.extensionWindowMs;
  return { ok: true, endsAt: extend ? now + state.extensionWindowMs : state.endsAt };
}

// Who wins at the close: the highest bidder, if the highest bid reached the reserve.
export function winnerOf(
  state: Pick<AuctionState, 'highAmount' | 'highBidderId' | 'reservePrice'>,
): { winnerId: string; winningAmount: number } | null {
  if (state.highAmount === null || state.highBidderId === null) return null;
  if (state.highAmount < state.reservePrice) return null;
  return { winnerId: state.highBidderId, winningAmount: state.highAmount };
}

// What clients see of the phase; the stored status only knows open and closed.
export type AuctionPhase = 'scheduled' | 'open' | 'ended' | 'closed';

export function phaseOf(
  state: Pick<AuctionState, 'status' | 'startsAt' | 'endsAt'>,
  now: number,
): AuctionPhase {
  if (state.status === 'closed') return 'closed';
  if (now < state.startsAt) return 'scheduled';
  if (now >= state.endsAt) return 'ended';
  return 'open';
}
