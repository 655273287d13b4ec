import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { Public } from '@suite/service-kit';
import { toAuctionView, type AuctionView } from '../auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { AuctionResponse } from '../auction.responses';

// Public: anyone may watch an auction.
@Public()
@ApiTags('auctions')
@Controller('auctions')
export class GetAuctionHttpController {
  constructor(private readonly auctions: AuctionsRepository) {}

  @ApiParam({ name: 'auctionId', type: 'string', format: 'uuid' })
  @Get(':auctionId')
  @ApiOkResponse({ type: AuctionResponse })
  @ApiErrors({ 404: 'No such auction' })
  async get(@Param('auctionId', new ParseUUIDPipe()) auctionId: string): Promise<AuctionView> {
    const auction = await this.auctions.get(auctionId);
    if (!auction) throw new NotFoundException(`auction ${auctionId} does not exist`);
    return toAuctionView(auction, Date.now());
  }
}
