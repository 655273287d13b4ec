import type { SqlExecutor } from '@suite/coordination';

// Reads the auction database after a run and counts violations of the auction's
// invariants. Framework-free: a pg Pool or Client will do. Every count must be 0.
export interface AuctionInvariantReport {
  auctions: number;
  closedAuctions: number;
  acceptedBids: number;
  closedEvents: number;
  violations: {
    // An accepted bid that does not beat the one accepted before it by the increment.
    bidsNotBeatingPrevious: number;
    // An accepted bid placed at or after the auction's close (or its final end).
    bidsAfterClose: number;
    // A closed auction whose winner is not the highest accepted bid at or above the reserve.
    wrongWinner: number;
    // Closed auctions without exactly one AuctionClosed event in the outbox.
    closedWithoutEvent: number;
    duplicateCloseEvents: number;
    // AuctionClosed events for an auction that is not closed.
    eventsForOpenAuctions: number;
    // Auctions whose AuctionClosed events name more than one winner.
    twoWinners: number;
  };
  total: number;
}

const count = async (sql: SqlExecutor, text: string, params: unknown[]): Promise<number> => {
  const { rows } = await sql.query<{ n: number }>(text, params);
  return Number(rows[0]?.n ?? 0);
};

// `auctionIds`: restrict to these auctions (a test's own); omitted: the whole database.
export async function verifyAuctionInvariants(
  sql: SqlExecutor,
  topic: string,
  auctionIds?: readonly string[],
): Promise<AuctionInvariantReport> {
  const scope = auctionIds ? [auctionIds] : [null];
  const inScope = `($1::uuid[] is null or a.id = any($1::uuid[]))`;
  const events = `
    select (payload::jsonb ->> 'auctionId')::uuid as auction_id, payload::jsonb ->> 'winnerId' as winner_id
      from outbox_messages
     where topic = $2 and headers ->> 'type' = 'AuctionClosed'`;

  const violations = {
    bidsNotBeatingPrevious: await count(
      sql,
      `select count(*)::int as n from (
         select b.amount, a.bid_increment,
                lag(b.amount) over (partition by b.auction_id order by b.seq) as previous
           from auction_bids b join auctions a on a.id = b.auction_id
          where ${inScope}) x
        where previous is not null and amount < previous + bid_increment`,
      scope,
    ),
    bidsAfterClose: await count(
      sql,
      `select count(*)::int as n from auction_bids b join auctions a on a.id = b.auction_id
        where ${inScope} and (b.placed_at >= a.ends_at or b.placed_at >= a.closed_at)`,
      scope,
    ),
    wrongWinner: await count(
      sql,
      `select count(*)::int as n from auctions a
         left join lateral (select bidder_id, amount from auction_bids b
                             where b.auction_id = a.id order by amount desc, seq limit 1) top on true
        where ${inScope} and a.status = 'closed'
          and (case when top.amount >= a.reserve_price then top.bidder_id end) is distinct from a.winner_id`,
      scope,
    ),
    closedWithoutEvent: await count(
      sql,
      `select count(*)::int as n from auctions a
        where ${inScope} and a.status = 'closed'
          and not exists (select 1 from (${events}) e where e.auction_id = a.id)`,
      [scope[0], topic],
    ),
    duplicateCloseEvents: await count(
      sql,
      `select count(*)::int as n from (
         select e.auction_id from (${events}) e join auctions a on a.id = e.auction_id
          where ${inScope} group by e.auction_id having count(*) > 1) d`,
      [scope[0], topic],
    ),
    eventsForOpenAuctions: await count(
      sql,
      `select count(*)::int as n from (${events}) e join auctions a on a.id = e.auction_id
        where ${inScope} and a.status <> 'closed'`,
      [scope[0], topic],
    ),
    twoWinners: await count(
      sql,
      `select count(*)::int as n from (
         select e.auction_id from (${events}) e join auctions a on a.id = e.auction_id
          where ${inScope} group by e.auction_id
         having count(distinct coalesce(e.winner_id, '')) > 1) w`,
      [scope[0], topic],
    ),
  };
  return {
    auctions: await count(sql, `select count(*)::int as n from auctions a where ${inScope}`, scope),
    closedAuctions: await count(
      sql,
      `select count(*)::int as n from auctions a where ${inScope} and a.status = 'closed'`,
      scope,
    ),
    acceptedBids: await count(
      sql,
      `select count(*)::int as n from auction_bids b join auctions a on a.id = b.auction_id where ${inScope}`,
      scope,
    ),
    closedEvents: await count(
      sql,
      `select count(*)::int as n from (${events}) e join auctions a on a.id = e.auction_id where ${inScope}`,
      [scope[0], topic],
    ),
    violations,
    total: Object.values(violations).reduce((sum, n) => sum + n, 0),
  };
}
