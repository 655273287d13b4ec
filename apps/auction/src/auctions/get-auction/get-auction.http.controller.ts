import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, Public, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/auction.answers';
import { AuctionResponse } from '../../http/auction.responses';
import { GetAuctionUseCase } from './get-auction.use-case';

// Public: anyone may watch an auction.
@Public()
@ApiTags('auctions')
@Controller('auctions')
export class GetAuctionHttpController {
  constructor(private readonly getAuction: GetAuctionUseCase) {}

  @ApiParam({ name: 'auctionId', type: 'string', format: 'uuid' })
  @Get(':auctionId')
  @ApiOkResponse({ type: AuctionResponse })
  @ApiErrors({ 404: 'No such auction' })
  async get(
    @Param('auctionId', new ParseUUIDPipe()) auctionId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await send(reply, answerOf(HTTP_ANSWERS.getAuction, await this.getAuction.execute(auctionId)));
  }
}
