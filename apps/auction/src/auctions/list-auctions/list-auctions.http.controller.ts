import { Controller, Get, Query } from '@nestjs/common';
import { Public } from '@suite/service-kit';
import { toAuctionView, type AuctionView } from '../auction.view';
import { AuctionsRepository } from '../infra/auctions.repository';
import { ListAuctionsRequest } from './list-auctions.request';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuctionListResponse } from '../auction.responses';

// Public: anyone may watch an auction.
@Public()
@ApiTags('auctions')
@Controller('auctions')
export class ListAuctionsHttpController {
  constructor(private readonly auctions: AuctionsRepository) {}

  // Newest first, with each auction's current high bid.
  @Get()
  @ApiOkResponse({ type: AuctionListResponse })
  async list(@Query() query: ListAuctionsRequest): Promise<{ auctions: AuctionView[] }> {
    const states = await this.auctions.list({
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 20,
    });
    const now = Date.now();
    return { auctions: states.map((s) => toAuctionView(s, now)) };
  }
}
