import { Inject, Injectable } from '@nestjs/common';
import { AUCTION_CONFIG, type AuctionConfig } from '../../config/auction.config';
import type { BidOutcome } from '../domain/auction';
import { AuctionsRepository } from '../infra/auctions.repository';

export interface PlaceBidCommand {
  auctionId: string;
  bidderId: string;
  amount: number;
}

@Injectable()
export class PlaceBidUseCase {
  constructor(
    private readonly auctions: AuctionsRepository,
    @Inject(AUCTION_CONFIG) private readonly config: AuctionConfig,
  ) {}

  // Accepted or rejected with a reason; throws only when the database is broken.
  execute(command: PlaceBidCommand): Promise<BidOutcome> {
    const { auctionId, bidderId, amount } = command;
    return this.config.BID_MODE === 'naive'
      ? this.auctions.placeBidNaive(auctionId, bidderId, amount)
      : this.auctions.placeBid(auctionId, bidderId, amount);
  }
}
