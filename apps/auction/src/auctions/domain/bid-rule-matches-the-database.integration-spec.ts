import type { SqlExecutor } from '@suite/coordination';
import { autocommit } from '@suite/service-kit';
import { createTestDatabase, type TestDatabase } from '@suite/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { AUCTION_MIGRATIONS } from '../../database/migrations';
import { AuctionsRepository, PLACE_BID } from '../infra/auctions.repository';
import {
  decideBid,
  minimumBid,
  type AcceptedBid,
  type AuctionState,
  type BidOutcome,
  type BidRejection,
} from './auction';

// The bid rule lives twice: auction_place_bid (plpgsql, the one that decides) and decideBid
// (TypeScript, for the naive variant and the unit tests). This file applies generated
// auctions and bid sequences to both, on the same state and the same clock, and requires
// the same outcome, reason, new end and quoted minimum, so what the unit tests prove of
// decideBid holds for the function that takes the bids.
//
// The clock: the function reads clock_timestamp() once, unqualified. The repository's
// connections put a schema holding a fixed clock_timestamp() before pg_catalog in their
// search_path, so the database decides at the very millisecond decideBid is given, and
// boundaries (a bid at the end, at the window's edge, at the start) are hit exactly. Every
// accepted bid's placedAt proves the function read that clock. A second test uses the real
// clock, to show the fixed one hides nothing.

const SELLER = 'seller';
const T0 = 1_900_000_000_000;
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

const FIXED_CLOCK_SQL = `
  create schema fixed_clock;
  create table fixed_clock.now (at timestamptz not null);
  insert into fixed_clock.now values ('epoch');
  create function fixed_clock.clock_timestamp() returns timestamptz
    language sql volatile as $$ select at from fixed_clock.now $$;`;

const INSERT_AUCTION = `
  insert into auctions (seller_id, title, reserve_price, bid_increment, starts_at, ends_at,
                        scheduled_ends_at, extension_window_ms, status, high_amount,
                        high_bidder_id, bid_count, closed_at)
  values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12)
  returning id`;

// An auction as it may stand when a bid arrives: maybe with earlier bids, maybe closed
// (a closed auction whose end is still ahead covers the status check on its own).
const auctionArb = fc.record({
  bidIncrement: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 10_000 })),
  reservePrice: fc.integer({ min: 0, max: 50_000 }),
  durationMs: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 120_000 })),
  extensionWindowMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: MAX_WINDOW_MS }),
  ),
  closed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  earlier: fc.option(
    fc.record({
      highAmount: fc.integer({ min: 1, max: 100_000 }),
      bidCount: fc.integer({ min: 1, max: 40 }),
    }),
    { freq: 3 },
  ),
});

// A bid's time is read against the auction as it stands then (its start, its current end,
// its window's edge, or the previous bid), a few ms either side or further; the clock never
// goes back. Its amount is near the current minimum, or anything.
const bidArb = fc.record({
  bidderId: fc.oneof(
    { arbitrary: fc.constant(SELLER), weight: 1 },
    { arbitrary: fc.constantFrom('b1', 'b2', 'b3'), weight: 6 },
  ),
  // Past the end every later bid is refused, so the end is picked least often.
  anchor: fc.oneof(
    { arbitrary: fc.constant('start' as const), weight: 2 },
    { arbitrary: fc.constant('window' as const), weight: 3 },
    { arbitrary: fc.constant('previous' as const), weight: 2 },
    { arbitrary: fc.constant('end' as const), weight: 1 },
  ),
  deltaMs: fc.oneof(
    { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 3 },
    { arbitrary: fc.integer({ min: -5_000, max: 5_000 }), weight: 1 },
  ),
  amount: fc.oneof(
    fc.record({ nearMinimum: fc.integer({ min: -2, max: 2 }) }),
    fc.record({ exactly: fc.integer({ min: 1, max: 200_000 }) }),
  ),
});

type GeneratedAuction = typeof auctionArb extends fc.Arbitrary<infer T> ? T : never;
type Bid = { bidderId: string; amount: number };

// PLACE_BID's row, read raw: unlike the repository's outcome it keeps the instant the
// function read for refusals too.
interface PlaceBidRow {
  outcome: 'accepted' | BidRejection;
  placed_at_ms: number;
  minimum_bid: string | null;
  ends_at_ms: number;
}
const first = <T>(rows: T[]): T => {
  const [row] = rows;
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
};
const num = (value: string | null) => (value === null ? null : Number(value));

// What the API would answer if decideBid decided: the repository's BidOutcome. A closed
// auction quotes no minimum (there is no next bid); every other refusal quotes one.
function outcomeOf(state: AuctionState, bid: Bid, now: number): BidOutcome {
  const decision = decideBid(state, bid, now);
  if (decision.ok) {
    return {
      kind: 'accepted',
      seq: state.bidCount + 1,
      placedAt: now,
      highAmount: bid.amount,
      minimumBid: minimumBid({ highAmount: bid.amount, bidIncrement: state.bidIncrement }),
      endsAt: decision.endsAt,
    };
  }
  return {
    kind: 'rejected',
    reason: decision.reason,
    highAmount: state.highAmount,
    minimumBid: decision.reason === 'closed' ? null : minimumBid(state),
    endsAt: state.endsAt,
  };
}

// The situations a correct generator must reach, each at least once, named from the bid's
// inputs and the database's answer (not from decideBid, which is under test).
const SITUATIONS = [
  'accepted',
  'accepted-and-extended',
  'accepted-at-exactly-the-minimum',
  'accepted-as-first-bid-at-exactly-the-increment',
  'accepted-at-exactly-the-start',
  'accepted-one-ms-inside-the-window',
  'accepted-exactly-the-window-before-the-end-not-extended',
  'too-low',
  'too-low-by-one',
  'closed',
  'closed-by-status-before-the-end',
  'closed-at-exactly-the-end',
  'closed-after-the-end',
  'not-open',
  'not-open-one-ms-before-the-start',
  'seller-cannot-bid',
  'seller-cannot-bid-on-a-closed-auction',
] as const;
type Situation = (typeof SITUATIONS)[number];

function situationsOf(state: AuctionState, bid: Bid, now: number, db: BidOutcome): Situation[] {
  const seen: Situation[] = [];
  const minimum = (state.highAmount ?? 0) + state.bidIncrement;
  const ended = state.status === 'closed' || now >= state.endsAt;
  if (db.kind === 'accepted') {
    seen.push(db.endsAt > state.endsAt ? 'accepted-and-extended' : 'accepted');
    if (bid.amount === minimum) seen.push('accepted-at-exactly-the-minimum');
    if (state.highAmount === null && bid.amount === state.bidIncrement)
      seen.push('accepted-as-first-bid-at-exactly-the-increment');
    if (now === state.startsAt) seen.push('accepted-at-exactly-the-start');
    if (state.extensionWindowMs > 0 && state.endsAt - now === state.extensionWindowMs - 1)
      seen.push('accepted-one-ms-inside-the-window');
    // Extending here would give the same end (now + window = endsAt), so this edge cannot
    // tell < from <=; it is kept to show the end does not move.
    if (state.extensionWindowMs > 0 && state.endsAt - now === state.extensionWindowMs)
      seen.push('accepted-exactly-the-window-before-the-end-not-extended');
    return seen;
  }
  if (db.reason === 'not-found') throw new Error('the auction under test vanished');
  seen.push(db.reason);
  if (db.reason === 'closed' && state.status === 'open' && now > state.endsAt)
    seen.push('closed-after-the-end');
  if (db.reason === 'too-low' && bid.amount === minimum - 1) seen.push('too-low-by-one');
  if (db.reason === 'closed' && state.status === 'closed' && now < state.endsAt)
    seen.push('closed-by-status-before-the-end');
  if (db.reason === 'closed' && state.status === 'open' && now === state.endsAt)
    seen.push('closed-at-exactly-the-end');
  if (db.reason === 'not-open' && now === state.startsAt - 1)
    seen.push('not-open-one-ms-before-the-start');
  if (db.reason === 'seller-cannot-bid' && ended)
    seen.push('seller-cannot-bid-on-a-closed-auction');
  return seen;
}

describe('the bid rule in TypeScript and in the database', () => {
  let db: TestDatabase;
  let fixedClock: DataSource;
  const repository = new AuctionsRepository();
  let sql: SqlExecutor;
  let sequence = 0;

  beforeAll(async () => {
    db = await createTestDatabase('auction_bid_rule', 2);
    for (const Migration of AUCTION_MIGRATIONS) {
      await new Migration().up({ query: (sql: string) => db.pool.query(sql) } as never);
    }
    await db.pool.query(FIXED_CLOCK_SQL);
    fixedClock = new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [],
      synchronize: false,
      poolSize: 1,
      // Unqualified clock_timestamp() in auction_place_bid resolves to the fixed clock.
      extra: { options: '-c search_path=fixed_clock,pg_catalog,public' },
    });
    await fixedClock.initialize();
    sql = autocommit(fixedClock);
  }, 30_000);

  afterAll(async () => {
    await fixedClock?.destroy();
    await db?.drop();
  });

  const insertAuction = async (a: GeneratedAuction): Promise<AuctionState> => {
    const startsAt = T0;
    const endsAt = T0 + a.durationMs;
    const earlier = a.earlier;
    const status = a.closed ? 'closed' : 'open';
    const closedAt = a.closed ? endsAt : null;
    const title = `fixed-clock-${++sequence}`;
    const { rows } = await db.pool.query<{ id: string }>(INSERT_AUCTION, [
      SELLER,
      title,
      a.reservePrice,
      a.bidIncrement,
      iso(startsAt),
      iso(endsAt),
      a.extensionWindowMs,
      status,
      earlier?.highAmount ?? null,
      earlier ? 'b1' : null,
      earlier?.bidCount ?? 0,
      closedAt === null ? null : iso(closedAt),
    ]);
    return {
      id: first(rows).id,
      sellerId: SELLER,
      title,
      reservePrice: a.reservePrice,
      bidIncrement: a.bidIncrement,
      startsAt,
      scheduledEndsAt: endsAt,
      endsAt,
      extensionWindowMs: a.extensionWindowMs,
      status,
      highAmount: earlier?.highAmount ?? null,
      highBidderId: earlier ? 'b1' : null,
      bidCount: earlier?.bidCount ?? 0,
      closedAt,
      winnerId: null,
      winningAmount: null,
    };
  };

  it('gives the same outcome, reason, new end and quoted minimum on every generated bid, at the same fixed clock', async () => {
    const seen = new Map<Situation, number>(SITUATIONS.map((s) => [s, 0]));
    let bids = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        auctionArb,
        fc.array(bidArb, { minLength: 1, maxLength: 8 }),
        async (auction, plan) => {
          let state = await insertAuction(auction);
          // The row as the service reads it is the state both rules start from.
          expect(await repository.get(sql, state.id)).toEqual(state);
          const firstSeq = state.bidCount;
          const accepted: AcceptedBid[] = [];
          let now = T0 - 3_000;
          for (const step of plan) {
            const anchor = {
              start: state.startsAt,
              end: state.endsAt,
              window: state.endsAt - state.extensionWindowMs,
              previous: now,
            }[step.anchor];
            now = Math.max(now, anchor + step.deltaMs);
            const amount =
              'exactly' in step.amount
                ? step.amount.exactly
                : Math.max(1, minimumBid(state) + step.amount.nearMinimum);
            const bid = { bidderId: step.bidderId, amount };

            await db.pool.query('update fixed_clock.now set at = $1', [iso(now)]);
            const fromDatabase = await repository.placeBid(sql, state.id, bid.bidderId, bid.amount);
            const fromTypeScript = outcomeOf(state, bid, now);
            expect({ state, bid, now, outcome: fromDatabase }).toEqual({
              state,
              bid,
              now,
              outcome: fromTypeScript,
            });
            bids += 1;
            for (const s of situationsOf(state, bid, now, fromDatabase))
              seen.set(s, (seen.get(s) ?? 0) + 1);

            if (fromDatabase.kind === 'accepted') {
              accepted.push({
                auctionId: state.id,
                seq: fromDatabase.seq,
                bidderId: bid.bidderId,
                amount,
                placedAt: now,
              });
              state = {
                ...state,
                highAmount: amount,
                highBidderId: bid.bidderId,
                bidCount: state.bidCount + 1,
                endsAt: fromDatabase.endsAt,
              };
            }
          }
          // What the function wrote is what the model holds.
          expect(await repository.get(sql, state.id)).toEqual(state);
          expect(await repository.history(sql, state.id, firstSeq, 100)).toEqual(accepted);
        },
      ),
      { seed: 20_261_130, numRuns: 300 },
    );
    const elapsed = Date.now() - started;
    console.log(
      `bid rule, fixed clock: 300 auctions, ${bids} bids in ${elapsed} ms; ` +
        SITUATIONS.map((s) => `${s} ${seen.get(s)}`).join(', '),
    );
    // A generator that misses a branch or a boundary proves nothing about it.
    expect(SITUATIONS.filter((s) => seen.get(s) === 0)).toEqual([]);
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);

  it('decides as decideBid at the instant the function read, with the real clock', async () => {
    const seen = new Set<'accepted' | 'accepted-and-extended' | BidRejection>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -150, max: 150 }),
        fc.integer({ min: 1, max: 300 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
        fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 6 }),
        async (startInMs, durationMs, extensionWindowMs, raises) => {
          const { rows } = await db.pool.query<{ now_ms: number }>(
            'select floor(extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms',
          );
          const base = first(rows).now_ms;
          let state = await insertAuctionAt(base + startInMs, durationMs, extensionWindowMs);
          for (const [i, raise] of raises.entries()) {
            const bid = { bidderId: `b${i % 3}`, amount: minimumBid(state) + raise };
            const result = await db.pool.query<PlaceBidRow>(PLACE_BID, [
              state.id,
              bid.bidderId,
              bid.amount,
            ]);
            const row = first(result.rows);
            // The instant the function read, to the microsecond.
            const now = row.placed_at_ms;
            const expected = outcomeOf(state, bid, now);
            const reason = row.outcome;
            const endsAt = row.ends_at_ms;
            expect({ reason, minimumBid: num(row.minimum_bid) }).toEqual(
              expected.kind === 'accepted'
                ? { reason: 'accepted', minimumBid: expected.minimumBid }
                : { reason: expected.reason, minimumBid: expected.minimumBid },
            );
            // The database keeps microseconds; one ms either way is rounding, not a rule.
            expect(Math.abs(endsAt - (expected.endsAt ?? Number.NaN))).toBeLessThanOrEqual(1);
            if (reason === 'accepted') {
              seen.add(endsAt > state.endsAt ? 'accepted-and-extended' : 'accepted');
              state = {
                ...state,
                highAmount: bid.amount,
                highBidderId: bid.bidderId,
                bidCount: state.bidCount + 1,
                endsAt,
              };
            } else {
              seen.add(reason);
            }
          }
        },
      ),
      { seed: 20_261_130, numRuns: 60 },
    );
    expect([...seen].sort()).toEqual(
      ['accepted', 'accepted-and-extended', 'closed', 'not-open', 'too-low'].sort(),
    );
  }, 60_000);

  const insertAuctionAt = async (
    startsAt: number,
    durationMs: number,
    extensionWindowMs: number,
  ): Promise<AuctionState> => {
    const title = `real-clock-${++sequence}`;
    const endsAt = startsAt + durationMs;
    const { rows } = await db.pool.query<{ id: string }>(INSERT_AUCTION, [
      SELLER,
      title,
      0,
      10,
      iso(startsAt),
      iso(endsAt),
      extensionWindowMs,
      'open',
      null,
      null,
      0,
      null,
    ]);
    return {
      id: first(rows).id,
      sellerId: SELLER,
      title,
      reservePrice: 0,
      bidIncrement: 10,
      startsAt,
      scheduledEndsAt: endsAt,
      endsAt,
      extensionWindowMs,
      status: 'open',
      highAmount: null,
      highBidderId: null,
      bidCount: 0,
      closedAt: null,
      winnerId: null,
      winningAmount: null,
    };
  };
});
