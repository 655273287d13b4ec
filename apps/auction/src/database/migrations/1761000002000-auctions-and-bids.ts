import type { MigrationInterface, QueryRunner } from 'typeorm';

// Auctions, their accepted bids, and the bid decision. Forward-only; never edit once landed.
export const AUCTIONS_AND_BIDS_SQL = `
create table auctions (
  id                  uuid        primary key default gen_random_uuid(),
  seller_id           text        not null,
  title               text        not null,
  reserve_price       bigint      not null check (reserve_price >= 0),
  bid_increment       bigint      not null check (bid_increment > 0),
  starts_at           timestamptz not null,
  -- The current end: a late bid moves it (anti-sniping); it never moves earlier.
  ends_at             timestamptz not null,
  scheduled_ends_at   timestamptz not null,
  extension_window_ms integer     not null default 0 check (extension_window_ms >= 0),
  status              text        not null default 'open' check (status in ('open', 'closed')),
  high_amount         bigint,
  high_bidder_id      text,
  bid_count           integer     not null default 0,
  closed_at           timestamptz,
  winner_id           text,
  winning_amount      bigint,
  closer_token        bigint,
  created_at          timestamptz not null default clock_timestamp(),
  constraint auctions_ends_after_start check (scheduled_ends_at > starts_at),
  -- A closed auction has its close recorded; an open one has none.
  constraint auctions_close_recorded check ((status = 'closed') = (closed_at is not null))
);

-- The closer's query: open auctions by end.
create index auctions_open_by_end_idx on auctions (ends_at) where status = 'open';
create index auctions_by_created_idx on auctions (created_at desc, id);

-- Accepted bids only, numbered per auction in acceptance order.
create table auction_bids (
  auction_id uuid        not null references auctions (id),
  seq        integer     not null check (seq > 0),
  bidder_id  text        not null,
  amount     bigint      not null check (amount > 0),
  placed_at  timestamptz not null default clock_timestamp(),
  primary key (auction_id, seq)
);

-- The bid decision: one call, one round trip, one row lock. The auction row is locked
-- first, so the check and the write see the same state, and a concurrent bid or the close
-- waits for this transaction. The clock is read once, under the lock, so the reason, the
-- stored time and the extension agree. Time is the database's: the closer uses the same.
create function auction_place_bid(p_auction uuid, p_bidder text, p_amount bigint)
returns table (
  r_outcome     text,
  r_seq         integer,
  r_placed_at   timestamptz,
  r_high_amount bigint,
  r_minimum_bid bigint,
  r_ends_at     timestamptz
)
language plpgsql as $fn$
declare
  a        auctions%rowtype;
  v_now    timestamptz;
  v_min    bigint;
  v_window interval;
  v_ends   timestamptz;
begin
  select * into a from auctions where id = p_auction for update;
  if not found then
    return query select 'not-found'::text, null::integer, null::timestamptz, null::bigint,
      null::bigint, null::timestamptz;
    return;
  end if;
  v_now := clock_timestamp();
  -- Beat the current high by the increment; the first bid must reach the increment.
  v_min := coalesce(a.high_amount, 0) + a.bid_increment;
  if a.seller_id = p_bidder then
    return query select 'seller-cannot-bid'::text, null::integer, v_now, a.high_amount, v_min, a.ends_at;
  -- At or after the end, closed or not yet: the close takes this same lock, so no bid
  -- can slip in between the end and the close.
  elsif a.status = 'closed' or v_now >= a.ends_at then
    return query select 'closed'::text, null::integer, v_now, a.high_amount, null::bigint, a.ends_at;
  elsif v_now < a.starts_at then
    return query select 'not-open'::text, null::integer, v_now, a.high_amount, v_min, a.ends_at;
  elsif p_amount < v_min then
    return query select 'too-low'::text, null::integer, v_now, a.high_amount, v_min, a.ends_at;
  else
    v_window := make_interval(secs => a.extension_window_ms / 1000.0);
    v_ends := case when a.extension_window_ms > 0 and a.ends_at - v_now < v_window
                   then v_now + v_window else a.ends_at end;
    update auctions
       set high_amount = p_amount, high_bidder_id = p_bidder, bid_count = a.bid_count + 1,
           ends_at = v_ends
     where id = p_auction;
    insert into auction_bids (auction_id, seq, bidder_id, amount, placed_at)
    values (p_auction, a.bid_count + 1, p_bidder, p_amount, v_now);
    return query select 'accepted'::text, a.bid_count + 1, v_now, p_amount,
      p_amount + a.bid_increment, v_ends;
  end if;
end
$fn$;
`;

export class AuctionsAndBids1761000002000 implements MigrationInterface {
  name = 'AuctionsAndBids1761000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(AUCTIONS_AND_BIDS_SQL);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
