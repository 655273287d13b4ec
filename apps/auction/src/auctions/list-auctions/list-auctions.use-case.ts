import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../auction.tokens';
import { toAuctionView, type AuctionView } from '../domain/auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

// Newest first, with each auction's current high bid.
@Injectable()
export class ListAuctionsUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly auctions: AuctionsRepository,
  ) {}

  async execute(filter: { status?: 'open' | 'closed'; limit: number }): Promise<AuctionView[]> {
    const states = await this.auctions.list(this.sql, filter);
    const now = Date.now();
    return states.map((state) => toAuctionView(state, now));
  }
}
