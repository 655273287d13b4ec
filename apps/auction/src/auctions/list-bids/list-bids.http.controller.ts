import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Public } from '@suite/coordination-nest';
import { toBidView, type BidView } from '../auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';
import { ListBidsRequest } from './list-bids.request';

// Public: anyone may watch an auction.
@Public()
@Controller('auctions')
export class ListBidsHttpController {
  constructor(private readonly auctions: AuctionsRepository) {}

  // Accepted bids, in the order they were accepted.
  @Get(':auctionId/bids')
  async list(
    @Param('auctionId', new ParseUUIDPipe()) auctionId: string,
    @Query() query: ListBidsRequest,
  ): Promise<{ auctionId: string; bids: BidView[] }> {
    if (!(await this.auctions.get(auctionId))) {
      throw new NotFoundException(`auction ${auctionId} does not exist`);
    }
    const bids = await this.auctions.history(auctionId, query.afterSeq ?? 0, query.limit ?? 100);
    return { auctionId, bids: bids.map(toBidView) };
  }
}
