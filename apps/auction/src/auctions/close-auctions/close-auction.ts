import { AUCTION_EVENT_TYPES, type AuctionClosedEvent } from '@suite/contracts';
import { checkFence, writeOutbox, type SqlExecutor } from '@suite/coordination';
import { CLOSE_AUCTION } from '../infra/auctions.sql';

// The one fence row every close is checked against: the closer role, not each auction.
export const CLOSER_FENCE = 'auction-closer/leader';

export type CloseOutcome =
  | { kind: 'closed'; event: AuctionClosedEvent }
  // Already closed, or a bid moved its end: nothing to do now.
  | { kind: 'not-due' }
  // A closer with a newer token has written: this one lost its lease and must stop.
  | { kind: 'fenced-out'; currentToken: number };

interface ClosedRow {
  id: string;
  seller_id: string;
  winner_id: string | null;
  winning_amount: string | null;
  high_amount: string | null;
  bid_count: number;
  ends_at: string;
  closed_at: string;
}

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
  const { rows } = await sql.query<ClosedRow>(CLOSE_AUCTION, [auctionId, token]);
  const row = rows[0];
  if (!row) return { kind: 'not-due' };
  const event: AuctionClosedEvent = {
    type: AUCTION_EVENT_TYPES.closed,
    auctionId: row.id,
    sellerId: row.seller_id,
    winnerId: row.winner_id,
    winningAmount: row.winning_amount === null ? null : Number(row.winning_amount),
    highestBid: row.high_amount === null ? null : Number(row.high_amount),
    bidCount: row.bid_count,
    endsAt: row.ends_at,
    closedAt: row.closed_at,
    closerToken: token,
  };
  await writeOutbox(sql, topic, {
    key: row.id,
    value: JSON.stringify(event),
    headers: { type: AUCTION_EVENT_TYPES.closed },
  });
  return { kind: 'closed', event };
}
