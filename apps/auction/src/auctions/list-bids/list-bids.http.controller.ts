import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Public } from '@suite/service-kit';
import { toBidView, type BidView } from '../auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';
import { ListBidsRequest } from './list-bids.request';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { BidListResponse } from '../auction.responses';

// Public: anyone may watch an auction.
@Public()
@ApiTags('bids')
@Controller('auctions')
export class ListBidsHttpController {
  constructor(private readonly auctions: AuctionsRepository) {}

  // Accepted bids, in the order they were accepted.
  @ApiParam({ name: 'auctionId', type: 'string', format: 'uuid' })
  @Get(':auctionId/bids')
  @ApiOkResponse({ type: BidListResponse })
  @ApiErrors({ 404: 'No such auction' })
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
