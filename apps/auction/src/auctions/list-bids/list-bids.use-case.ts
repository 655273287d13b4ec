import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../auction.tokens';
import { toBidView, type BidView } from '../domain/auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

export type ListBidsOutcome =
  | { kind: 'listed'; auctionId: string; bids: BidView[] }
  | { kind: 'not-found'; auctionId: string };

// Accepted bids, in the order they were accepted, after a sequence number.
@Injectable()
export class ListBidsUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly auctions: AuctionsRepository,
  ) {}

  async execute(auctionId: string, afterSeq: number, limit: number): Promise<ListBidsOutcome> {
    if (!(await this.auctions.get(this.sql, auctionId))) return { kind: 'not-found', auctionId };
    const bids = await this.auctions.history(this.sql, auctionId, afterSeq, limit);
    return { kind: 'listed', auctionId, bids: bids.map(toBidView) };
  }
}
