import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, Public, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/auction.answers';
import { BidListResponse } from '../../http/auction.responses';
import { ListBidsRequest } from './list-bids.request';
import { ListBidsUseCase } from './list-bids.use-case';

// Public: anyone may watch an auction.
@Public()
@ApiTags('bids')
@Controller('auctions')
export class ListBidsHttpController {
  constructor(private readonly listBids: ListBidsUseCase) {}

  // Accepted bids, in the order they were accepted.
  @ApiParam({ name: 'auctionId', type: 'string', format: 'uuid' })
  @Get(':auctionId/bids')
  @ApiOkResponse({ type: BidListResponse })
  @ApiErrors({ 404: 'No such auction' })
  async list(
    @Param('auctionId', new ParseUUIDPipe()) auctionId: string,
    @Query() query: ListBidsRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.listBids.execute(auctionId, query.afterSeq ?? 0, query.limit ?? 100);
    await send(reply, answerOf(HTTP_ANSWERS.listBids, outcome));
  }
}
