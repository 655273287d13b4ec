import { AUCTION_EVENT_TYPES, type AuctionClosedEvent } from '@suite/contracts';
import { checkFence, writeOutbox, type SqlExecutor } from '@suite/coordination';
import { AuctionsRepository } from '../infra/auctions.repository';

// The one fence row every close is checked against: the closer role, not each auction.
export const CLOSER_FENCE = 'auction-closer/leader';

export type CloseOutcome =
  | { kind: 'closed'; event: AuctionClosedEvent }
  // Already closed, or a bid moved its end: nothing to do now.
  | { kind: 'not-due' }
  // A closer with a newer token has written: this one lost its lease and must stop.
  | { kind: 'fenced-out'; currentToken: number };

const auctions = new AuctionsRepository();

// Closes one auction inside the caller's transaction: the fence first (it rejects a token
// older than the last close's), then the conditional close, then the AuctionClosed row in
// the outbox. The status flips once, so the event is written once.
export async function closeAuction(
  sql: SqlExecutor,
  auctionId: string,
  token: number,
  topic: string,
): Promise<CloseOutcome> {
  const fence = await checkFence(sql, CLOSER_FENCE, token);
  if (!fence.ok) return { kind: 'fenced-out', currentToken: fence.currentToken };
  const closed = await auctions.close(sql, auctionId, token);
  if (!closed) return { kind: 'not-due' };
  const event: AuctionClosedEvent = {
    type: AUCTION_EVENT_TYPES.closed,
    auctionId: closed.id,
    sellerId: closed.sellerId,
    winnerId: closed.winnerId,
    winningAmount: closed.winningAmount,
    highestBid: closed.highAmount,
    bidCount: closed.bidCount,
    endsAt: closed.endsAt,
    closedAt: closed.closedAt,
    closerToken: token,
  };
  await writeOutbox(sql, topic, {
    key: closed.id,
    value: JSON.stringify(event),
    headers: { type: AUCTION_EVENT_TYPES.closed },
  });
  return { kind: 'closed', event };
}
