import type { DataSource, Repository } from 'typeorm';
import {
  decideBid,
  type AcceptedBid,
  type AuctionState,
  type BidOutcome,
  type BidRejection,
  type NewAuction,
} from '../domain/auction';
import { AuctionRecord, BidRecord } from './auction.record';
import { NAIVE_INSERT_BID, NAIVE_READ, NAIVE_WRITE, PLACE_BID } from './auctions.sql';

interface PlaceBidRow {
  outcome: 'accepted' | BidRejection;
  seq: number | null;
  placed_at_ms: number | null;
  high_amount: string | null;
  minimum_bid: string | null;
  ends_at_ms: number | null;
}

const num = (value: string | null) => (value === null ? null : Number(value));

// The auction aggregate: the auction row and its accepted bids. Reads go through TypeORM;
// the bid write is the hand-written, one-round-trip call in auctions.sql.ts.
export class AuctionsRepository {
  private readonly auctions: Repository<AuctionRecord>;
  private readonly bids: Repository<BidRecord>;

  constructor(private readonly db: DataSource) {
    this.auctions = db.getRepository(AuctionRecord);
    this.bids = db.getRepository(BidRecord);
  }

  async create(auction: NewAuction): Promise<AuctionState> {
    const inserted = await this.auctions
      .createQueryBuilder()
      .insert()
      .values({
        sellerId: auction.sellerId,
        title: auction.title,
        reservePrice: auction.reservePrice,
        bidIncrement: auction.bidIncrement,
        startsAt: new Date(auction.startsAt),
        endsAt: new Date(auction.endsAt),
        scheduledEndsAt: new Date(auction.endsAt),
        extensionWindowMs: auction.extensionWindowMs,
      })
      .returning('*')
      .execute();
    const id = (inserted.identifiers[0] as { id: string }).id;
    const created = await this.get(id);
    if (!created) throw new Error(`auction ${id} vanished after insert`);
    return created;
  }

  async get(id: string): Promise<AuctionState | null> {
    const record = await this.auctions.findOneBy({ id });
    return record ? toState(record) : null;
  }

  async list(options: { status?: 'open' | 'closed'; limit: number }): Promise<AuctionState[]> {
    const records = await this.auctions.find({
      where: options.status ? { status: options.status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: options.limit,
    });
    return records.map(toState);
  }

  // Accepted bids in acceptance order, from seq > afterSeq.
  async history(auctionId: string, afterSeq: number, limit: number): Promise<AcceptedBid[]> {
    const records = await this.bids
      .createQueryBuilder('b')
      .where('b.auction_id = :auctionId and b.seq > :afterSeq', { auctionId, afterSeq })
      .orderBy('b.seq', 'ASC')
      .limit(limit)
      .getMany();
    return records.map((r) => ({
      auctionId: r.auctionId,
      seq: r.seq,
      bidderId: r.bidderId,
      amount: r.amount,
      placedAt: r.placedAt.getTime(),
    }));
  }

  // The compare-and-set: checked and written under the auction's row lock, in one call.
  async placeBid(auctionId: string, bidderId: string, amount: number): Promise<BidOutcome> {
    const rows: PlaceBidRow[] = await this.db.query(PLACE_BID, [auctionId, bidderId, amount]);
    const row = rows[0];
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
    return {
      kind: 'rejected',
      reason: row.outcome,
      highAmount: num(row.high_amount),
      minimumBid: num(row.minimum_bid),
      endsAt: row.ends_at_ms,
    };
  }

  // NAIVE: read, decide here, write unconditionally. Never used unless BID_MODE=naive.
  async placeBidNaive(auctionId: string, bidderId: string, amount: number): Promise<BidOutcome> {
    const read: (Record<string, unknown> & { now_ms: number })[] = await this.db.query(NAIVE_READ, [
      auctionId,
    ]);
    const raw = read[0];
    if (!raw) return rejected('not-found', null, null, null);
    const state = rawToState(raw);
    const decision = decideBid(state, { bidderId, amount }, raw.now_ms);
    if (!decision.ok) {
      return rejected(
        decision.reason,
        state.highAmount,
        (state.highAmount ?? 0) + state.bidIncrement,
        state.endsAt,
      );
    }
    const written: [{ bid_count: number }[], number] = await this.db.query(NAIVE_WRITE, [
      auctionId,
      amount,
      bidderId,
      decision.endsAt,
    ]);
    const seq = written[0][0]?.bid_count ?? 0;
    await this.db.query(NAIVE_INSERT_BID, [auctionId, seq, bidderId, amount]);
    return {
      kind: 'accepted',
      seq,
      placedAt: raw.now_ms,
      highAmount: amount,
      minimumBid: amount + state.bidIncrement,
      endsAt: decision.endsAt,
    };
  }
}

function rejected(
  reason: BidRejection,
  highAmount: number | null,
  minimumBid: number | null,
  endsAt: number | null,
): BidOutcome {
  return { kind: 'rejected', reason, highAmount, minimumBid, endsAt };
}

function toState(r: AuctionRecord): AuctionState {
  return {
    id: r.id,
    sellerId: r.sellerId,
    title: r.title,
    reservePrice: r.reservePrice,
    bidIncrement: r.bidIncrement,
    startsAt: r.startsAt.getTime(),
    scheduledEndsAt: r.scheduledEndsAt.getTime(),
    endsAt: r.endsAt.getTime(),
    extensionWindowMs: r.extensionWindowMs,
    status: r.status,
    highAmount: r.highAmount,
    highBidderId: r.highBidderId,
    bidCount: r.bidCount,
    closedAt: r.closedAt ? r.closedAt.getTime() : null,
    winnerId: r.winnerId,
    winningAmount: r.winningAmount,
  };
}

function rawToState(raw: Record<string, unknown>): AuctionState {
  const time = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));
  const opt = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(raw['id']),
    sellerId: String(raw['seller_id']),
    title: String(raw['title']),
    reservePrice: Number(raw['reserve_price']),
    bidIncrement: Number(raw['bid_increment']),
    startsAt: time(raw['starts_at']),
    scheduledEndsAt: time(raw['scheduled_ends_at']),
    endsAt: time(raw['ends_at']),
    extensionWindowMs: Number(raw['extension_window_ms']),
    status: raw['status'] === 'closed' ? 'closed' : 'open',
    highAmount: opt(raw['high_amount']),
    highBidderId: raw['high_bidder_id'] === null ? null : String(raw['high_bidder_id']),
    bidCount: Number(raw['bid_count']),
    closedAt: raw['closed_at'] ? time(raw['closed_at']) : null,
    winnerId: raw['winner_id'] === null ? null : String(raw['winner_id']),
    winningAmount: opt(raw['winning_amount']),
  };
}
