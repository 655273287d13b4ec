import { Injectable } from '@nestjs/common';
import { toAuctionView, type AuctionView } from '../domain/auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

export type GetAuctionOutcome =
  | { kind: 'found'; auction: AuctionView }
  | { kind: 'not-found'; auctionId: string };

@Injectable()
export class GetAuctionUseCase {
  constructor(private readonly auctions: AuctionsRepository) {}

  async execute(auctionId: string): Promise<GetAuctionOutcome> {
    const auction = await this.auctions.get(auctionId);
    if (!auction) return { kind: 'not-found', auctionId };
    return { kind: 'found', auction: toAuctionView(auction, Date.now()) };
  }
}
