import type { SqlExecutor } from '@suite/coordination';
import {
  decideBid,
  type AcceptedBid,
  type AuctionState,
  type BidOutcome,
  type BidRejection,
  type NewAuction,
} from '../domain/auction';

// The auction aggregate, the auction row and its accepted bids, in hand-written SQL. Every
// method runs on the caller's executor, so the use case decides the transaction. The bid
// decision itself is the auction_place_bid function (migration 1761000002000).

interface AuctionRow {
  id: string;
  seller_id: string;
  title: string;
  reserve_price: string;
  bid_increment: string;
  starts_at: Date;
  ends_at: Date;
  scheduled_ends_at: Date;
  extension_window_ms: number;
  status: 'open' | 'closed';
  high_amount: string | null;
  high_bidder_id: string | null;
  bid_count: number;
  closed_at: Date | null;
  winner_id: string | null;
  winning_amount: string | null;
}

interface BidRow {
  auction_id: string;
  seq: number;
  bidder_id: string;
  amount: string;
  placed_at: Date;
}

interface PlaceBidRow {
  outcome: 'accepted' | BidRejection;
  seq: number | null;
  placed_at_ms: number | null;
  high_amount: string | null;
  minimum_bid: string | null;
  ends_at_ms: number | null;
}

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

// An auction as the close left it; the times are RFC 3339 in UTC, to the microsecond.
export interface ClosedAuction {
  id: string;
  sellerId: string;
  winnerId: string | null;
  winningAmount: number | null;
  highAmount: number | null;
  bidCount: number;
  endsAt: string;
  closedAt: string;
}

// pg returns bigint as a string; amounts and tokens stay far below 2^53.
const num = (value: string | null) => (value === null ? null : Number(value));

const toState = (r: AuctionRow): AuctionState => ({
  id: r.id,
  sellerId: r.seller_id,
  title: r.title,
  reservePrice: Number(r.reserve_price),
  bidIncrement: Number(r.bid_increment),
  startsAt: r.starts_at.getTime(),
  scheduledEndsAt: r.scheduled_ends_at.getTime(),
  endsAt: r.ends_at.getTime(),
  extensionWindowMs: r.extension_window_ms,
  status: r.status,
  highAmount: num(r.high_amount),
  highBidderId: r.high_bidder_id,
  bidCount: r.bid_count,
  closedAt: r.closed_at === null ? null : r.closed_at.getTime(),
  winnerId: r.winner_id,
  winningAmount: num(r.winning_amount),
});

const toBid = (r: BidRow): AcceptedBid => ({
  auctionId: r.auction_id,
  seq: r.seq,
  bidderId: r.bidder_id,
  amount: Number(r.amount),
  placedAt: r.placed_at.getTime(),
});

// One round trip: the function locks the auction row, decides, and writes the bid.
export const PLACE_BID = `
  select r_outcome as outcome, r_seq as seq,
         (extract(epoch from r_placed_at) * 1000)::float8 as placed_at_ms,
         r_high_amount::text as high_amount, r_minimum_bid::text as minimum_bid,
         (extract(epoch from r_ends_at) * 1000)::float8 as ends_at_ms
    from auction_place_bid($1, $2, $3)`;

const rejected = (
  reason: BidRejection,
  highAmount: number | null,
  minimumBid: number | null,
  endsAt: number | null,
): BidOutcome => ({ kind: 'rejected', reason, highAmount, minimumBid, endsAt });

export class AuctionsRepository {
  async insert(sql: SqlExecutor, auction: NewAuction): Promise<AuctionState> {
    const { rows } = await sql.query<AuctionRow>(
      `insert into auctions (seller_id, title, reserve_price, bid_increment, starts_at, ends_at,
                             scheduled_ends_at, extension_window_ms)
       values ($1, $2, $3, $4, $5, $6, $6, $7)
       returning *`,
      [
        auction.sellerId,
        auction.title,
        auction.reservePrice,
        auction.bidIncrement,
        new Date(auction.startsAt),
        new Date(auction.endsAt),
        auction.extensionWindowMs,
      ],
    );
    const [row] = rows;
    if (!row) throw new Error('the auction insert returned no row');
    return toState(row);
  }

  async get(sql: SqlExecutor, id: string): Promise<AuctionState | null> {
    const { rows } = await sql.query<AuctionRow>('select * from auctions where id = $1', [id]);
    return rows[0] ? toState(rows[0]) : null;
  }

  // Newest first; a status given must match.
  async list(
    sql: SqlExecutor,
    filter: { status?: 'open' | 'closed'; limit: number },
  ): Promise<AuctionState[]> {
    const { rows } = await sql.query<AuctionRow>(
      `select * from auctions
        where ($1::text is null or status = $1)
        order by created_at desc, id
        limit $2`,
      [filter.status ?? null, filter.limit],
    );
    return rows.map(toState);
  }

  // Accepted bids in acceptance order, from seq > afterSeq.
  async history(
    sql: SqlExecutor,
    auctionId: string,
    afterSeq: number,
    limit: number,
  ): Promise<AcceptedBid[]> {
    const { rows } = await sql.query<BidRow>(
      `select * from auction_bids
        where auction_id = $1 and seq > $2
        order by seq
        limit $3`,
      [auctionId, afterSeq, limit],
    );
    return rows.map(toBid);
  }

  // The compare-and-set: checked and written under the auction's row lock, in one call.
  async placeBid(
    sql: SqlExecutor,
    auctionId: string,
    bidderId: string,
    amount: number,
  ): Promise<BidOutcome> {
    const { rows } = await sql.query<PlaceBidRow>(PLACE_BID, [auctionId, bidderId, amount]);
    const [row] = rows;
    if (!row) throw new Error('auction_place_bid returned no row');
    if (row.outcome === 'accepted') {
      return {
        kind: 'accepted',
        seq: Number(row.seq),
        placedAt: Number(row.placed_at_ms),
        highAmount: Number(row.high_amount),
        minimumBid: Number(row.minimum_bid),
        endsAt: Number(row.ends_at_ms),
      };
    }
    return rejected(row.outcome, num(row.high_amount), num(row.minimum_bid), row.ends_at_ms);
  }

  // NAIVE, for demos and the verifier's own test only: read, decide here, then write with
  // no check, each statement on its own. Between the read and the write another bid or the
  // close can change the row, and this write does not notice. Never used unless
  // BID_MODE=naive.
  async placeBidNaive(
    sql: SqlExecutor,
    auctionId: string,
    bidderId: string,
    amount: number,
  ): Promise<BidOutcome> {
    const read = await sql.query<AuctionRow & { now_ms: number }>(
      `select *, (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms
         from auctions where id = $1`,
      [auctionId],
    );
    const [raw] = read.rows;
    if (!raw) return rejected('not-found', null, null, null);
    const state = toState(raw);
    const decision = decideBid(state, { bidderId, amount }, raw.now_ms);
    if (!decision.ok) {
      return rejected(
        decision.reason,
        state.highAmount,
        (state.highAmount ?? 0) + state.bidIncrement,
        state.endsAt,
      );
    }
    const written = await sql.query<{ bid_count: number }>(
      `update auctions
          set high_amount = $2, high_bidder_id = $3, bid_count = bid_count + 1,
              ends_at = to_timestamp($4::float8 / 1000)
        where id = $1
       returning bid_count`,
      [auctionId, amount, bidderId, decision.endsAt],
    );
    const seq = written.rows[0]?.bid_count ?? 0;
    await sql.query(
      'insert into auction_bids (auction_id, seq, bidder_id, amount) values ($1, $2, $3, $4)',
      [auctionId, seq, bidderId, amount],
    );
    return {
      kind: 'accepted',
      seq,
      placedAt: raw.now_ms,
      highAmount: amount,
      minimumBid: amount + state.bidIncrement,
      endsAt: decision.endsAt,
    };
  }

  // The closer's look: open auctions whose end (with extensions) has passed, by the
  // database clock, earliest end first.
  async due(sql: SqlExecutor, limit: number): Promise<string[]> {
    const { rows } = await sql.query<{ id: string }>(
      `select id from auctions
        where status = 'open' and ends_at <= clock_timestamp()
        order by ends_at
        limit $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  // How long until the next open auction ends, in ms (null: none open).
  async nextEndInMs(sql: SqlExecutor): Promise<number | null> {
    const { rows } = await sql.query<{ ms: number | null }>(
      `select greatest(0, extract(epoch from (min(ends_at) - clock_timestamp())) * 1000)::float8 as ms
         from auctions where status = 'open'`,
    );
    return rows[0]?.ms ?? null;
  }

  // The close, after the closer's fence passed in the same transaction. The row lock orders
  // it against every bid: a bid that committed first is in high_amount (and may have moved
  // ends_at, in which case the re-checked WHERE no longer matches and nothing closes); a bid
  // that comes after sees status = 'closed'. The winner comes from the row as locked.
  // Undefined: not due (already closed, or its end has moved).
  async close(
    sql: SqlExecutor,
    auctionId: string,
    token: number,
  ): Promise<ClosedAuction | undefined> {
    const { rows } = await sql.query<ClosedRow>(
      `update auctions
          set status = 'closed',
              closed_at = clock_timestamp(),
              closer_token = $2,
              winner_id = case when high_amount >= reserve_price then high_bidder_id end,
              winning_amount = case when high_amount >= reserve_price then high_amount end
        where id = $1 and status = 'open' and ends_at <= clock_timestamp()
       returning id, seller_id, winner_id, winning_amount::text as winning_amount,
                 high_amount::text as high_amount, bid_count,
                 to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ends_at,
                 to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as closed_at`,
      [auctionId, token],
    );
    const [row] = rows;
    if (!row) return undefined;
    return {
      id: row.id,
      sellerId: row.seller_id,
      winnerId: row.winner_id,
      winningAmount: num(row.winning_amount),
      highAmount: num(row.high_amount),
      bidCount: row.bid_count,
      endsAt: row.ends_at,
      closedAt: row.closed_at,
    };
  }
}
