// Every hand-written statement of the auction service, in one place for review. The bid
// decision itself is the auction_place_bid function (migration 1761000002000).

// One round trip: the function locks the auction row, decides, and writes the bid.
export const PLACE_BID = `
  select r_outcome as outcome, r_seq as seq,
         (extract(epoch from r_placed_at) * 1000)::float8 as placed_at_ms,
         r_high_amount::text as high_amount, r_minimum_bid::text as minimum_bid,
         (extract(epoch from r_ends_at) * 1000)::float8 as ends_at_ms
    from auction_place_bid($1, $2, $3)`;

// The naive variant, for demos and the verifier's own test only: read, decide in the
// process, then write without any check. Between the read and the write another bid or
// the close can change the row, and this write does not notice.
export const NAIVE_READ = `
  select *, (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms
    from auctions where id = $1`;
export const NAIVE_WRITE = `
  update auctions
     set high_amount = $2, high_bidder_id = $3, bid_count = bid_count + 1,
         ends_at = to_timestamp($4::float8 / 1000)
   where id = $1
  returning bid_count`;
export const NAIVE_INSERT_BID = `
  insert into auction_bids (auction_id, seq, bidder_id, amount) values ($1, $2, $3, $4)`;

// The closer: open auctions whose end (with extensions) has passed, by the database clock.
export const DUE_AUCTIONS = `
  select id from auctions
   where status = 'open' and ends_at <= clock_timestamp()
   order by ends_at
   limit $1`;

// How long until the next open auction ends, in ms (null: none open).
export const NEXT_END_IN_MS = `
  select greatest(0, extract(epoch from (min(ends_at) - clock_timestamp())) * 1000)::float8 as ms
    from auctions where status = 'open'`;

// The close, after the closer's fence passed in the same transaction. The row lock orders
// it against every bid: a bid that committed first is in high_amount (and may have moved
// ends_at, in which case the re-checked WHERE no longer matches and nothing closes); a bid
// that comes after sees status = 'closed'. The winner comes from the row as locked.
export const CLOSE_AUCTION = `
  update auctions
     set status = 'closed',
         closed_at = clock_timestamp(),
         closer_token = $2,
         winner_id = case when high_amount >= reserve_price then high_bidder_id end,
         winning_amount = case when high_amount >= reserve_price then high_amount end
   where id = $1 and status = 'open' and ends_at <= clock_timestamp()
  returning id, seller_id, winner_id, winning_amount::text as winning_amount,
            high_amount::text as high_amount, bid_count,
            to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ends_at,
            to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as closed_at`;
