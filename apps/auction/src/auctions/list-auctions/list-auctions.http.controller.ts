import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@suite/service-kit';
import { AuctionListResponse } from '../../http/auction.responses';
import type { AuctionView } from '../domain/auction.view';
import { ListAuctionsRequest } from './list-auctions.request';
import { ListAuctionsUseCase } from './list-auctions.use-case';

// Public: anyone may watch an auction.
@Public()
@ApiTags('auctions')
@Controller('auctions')
export class ListAuctionsHttpController {
  constructor(private readonly listAuctions: ListAuctionsUseCase) {}

  // Newest first, with each auction's current high bid.
  @Get()
  @ApiOkResponse({ type: AuctionListResponse })
  async list(@Query() query: ListAuctionsRequest): Promise<{ auctions: AuctionView[] }> {
    const auctions = await this.listAuctions.execute({
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 20,
    });
    return { auctions };
  }
}
