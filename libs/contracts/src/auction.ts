// The auction service's events, published through its outbox on TOPICS.auctionEvents with
// the auction id as the Kafka key. Amounts are integers in minor units (cents).

export const AUCTION_EVENT_TYPES = {
  closed: 'AuctionClosed',
} as const;

export type AuctionEventType = (typeof AUCTION_EVENT_TYPES)[keyof typeof AUCTION_EVENT_TYPES];

// Exactly one per auction. winnerId and winningAmount are null when nobody bid at or above
// the reserve; highestBid is the highest accepted bid either way (null: no bids at all).
export interface AuctionClosedEvent {
  type: typeof AUCTION_EVENT_TYPES.closed;
  auctionId: string;
  sellerId: string;
  winnerId: string | null;
  winningAmount: number | null;
  highestBid: number | null;
  bidCount: number;
  endsAt: string;
  closedAt: string;
  // The closer's fencing token: a consumer can tell which term of the closer wrote it.
  closerToken: number;
}

export type AuctionEvent = AuctionClosedEvent;
