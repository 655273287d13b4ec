import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUCTION_CONFIG, AUTOCOMMIT } from '../../auction.tokens';
import type { AuctionConfig } from '../../config/auction.config';
import type { BidOutcome } from '../domain/auction';
import { AuctionsRepository } from '../infra/auctions.repository';

export interface PlaceBidCommand {
  auctionId: string;
  bidderId: string;
  amount: number;
}

// An accepted bid says whose bid and how much, for the answer; a rejected one why.
export type PlaceBidOutcome =
  | (Extract<BidOutcome, { kind: 'accepted' }> & { bidderId: string; amount: number })
  | Extract<BidOutcome, { kind: 'rejected' }>;

@Injectable()
export class PlaceBidUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly auctions: AuctionsRepository,
    @Inject(AUCTION_CONFIG) private readonly config: AuctionConfig,
  ) {}

  // Accepted or rejected with a reason; throws only when the database is broken.
  async execute(command: PlaceBidCommand): Promise<PlaceBidOutcome> {
    const { auctionId, bidderId, amount } = command;
    const outcome =
      this.config.BID_MODE === 'naive'
        ? await this.auctions.placeBidNaive(this.sql, auctionId, bidderId, amount)
        : await this.auctions.placeBid(this.sql, auctionId, bidderId, amount);
    return outcome.kind === 'accepted' ? { ...outcome, bidderId, amount } : outcome;
  }
}
