import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { Public } from '@suite/coordination-nest';
import { toAuctionView, type AuctionView } from '../auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';

// Public: anyone may watch an auction.
@Public()
@Controller('auctions')
export class GetAuctionHttpController {
  constructor(private readonly auctions: AuctionsRepository) {}

  @Get(':auctionId')
  async get(@Param('auctionId', new ParseUUIDPipe()) auctionId: string): Promise<AuctionView> {
    const auction = await this.auctions.get(auctionId);
    if (!auction) throw new NotFoundException(`auction ${auctionId} does not exist`);
    return toAuctionView(auction, Date.now());
  }
}
