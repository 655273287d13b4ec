import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../auction.tokens';
import { toAuctionView, type AuctionView } from '../domain/auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

export type GetAuctionOutcome =
  | { kind: 'found'; auction: AuctionView }
  | { kind: 'not-found'; auctionId: string };

@Injectable()
export class GetAuctionUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly auctions: AuctionsRepository,
  ) {}

  async execute(auctionId: string): Promise<GetAuctionOutcome> {
    const auction = await this.auctions.get(this.sql, auctionId);
    if (!auction) return { kind: 'not-found', auctionId };
    return { kind: 'found', auction: toAuctionView(auction, Date.now()) };
  }
}
