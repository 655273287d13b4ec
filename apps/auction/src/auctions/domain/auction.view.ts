import {
  minimumBid,
  phaseOf,
  type AcceptedBid,
  type AuctionPhase,
  type AuctionState,
} from './auction';

// What clients see of an auction. The reserve stays private: only whether it is met.
export interface AuctionView {
  id: string;
  sellerId: string;
  title: string;
  bidIncrement: number;
  startsAt: string;
  endsAt: string;
  scheduledEndsAt: string;
  extensionWindowMs: number;
  phase: AuctionPhase;
  highBid: { amount: number; bidderId: string } | null;
  minimumBid: number | null;
  bidCount: number;
  reserveMet: boolean;
  closedAt: string | null;
  winner: { bidderId: string; amount: number } | null;
}

export interface BidView {
  seq: number;
  bidderId: string;
  amount: number;
  placedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toAuctionView(state: AuctionState, now: number): AuctionView {
  const phase = phaseOf(state, now);
  return {
    id: state.id,
    sellerId: state.sellerId,
    title: state.title,
    bidIncrement: state.bidIncrement,
    startsAt: iso(state.startsAt),
    endsAt: iso(state.endsAt),
    scheduledEndsAt: iso(state.scheduledEndsAt),
    extensionWindowMs: state.extensionWindowMs,
    phase,
    highBid:
      state.highAmount !== null && state.highBidderId !== null
        ? { amount: state.highAmount, bidderId: state.highBidderId }
        : null,
    minimumBid: phase === 'open' || phase === 'scheduled' ? minimumBid(state) : null,
    bidCount: state.bidCount,
    reserveMet: state.highAmount !== null && state.highAmount >= state.reservePrice,
    closedAt: state.closedAt === null ? null : iso(state.closedAt),
    winner:
      state.winnerId !== null && state.winningAmount !== null
        ? { bidderId: state.winnerId, amount: state.winningAmount }
        : null,
  };
}

export const toBidView = (bid: AcceptedBid): BidView => ({
  seq: bid.seq,
  bidderId: bid.bidderId,
  amount: bid.amount,
  placedAt: iso(bid.placedAt),
});
