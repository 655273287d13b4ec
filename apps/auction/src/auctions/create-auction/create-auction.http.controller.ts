import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/auction.answers';
import { AuctionResponse } from '../../http/auction.responses';
import { CreateAuctionRequest } from './create-auction.request';
import { CreateAuctionUseCase } from './create-auction.use-case';

@ApiTags('auctions')
@Controller('auctions')
export class CreateAuctionHttpController {
  constructor(private readonly createAuction: CreateAuctionUseCase) {}

  // The seller is the caller.
  @Post()
  @ApiCreatedResponse({
    type: AuctionResponse,
    // For the fuzz stage's stateful phase: the new auction, its bids, a bid on it.
    links: {
      theAuction: {
        operationId: 'GetAuctionHttpController_get',
        parameters: { auctionId: '$response.body#/id' },
      },
      itsBids: {
        operationId: 'ListBidsHttpController_list',
        parameters: { auctionId: '$response.body#/id' },
      },
      aBid: {
        operationId: 'PlaceBidHttpController_place',
        parameters: { auctionId: '$response.body#/id' },
      },
    },
  })
  @ApiErrors({ 422: 'The times or amounts do not make an auction (the message says which)' })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateAuctionRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const now = Date.now();
    const outcome = await this.createAuction.execute(
      {
        sellerId: user.userId,
        title: body.title,
        reservePrice: body.reservePrice,
        bidIncrement: body.bidIncrement,
        startsAt: body.startsAt?.getTime() ?? now,
        endsAt: body.endsAt.getTime(),
        extensionWindowMs: body.extensionWindowMs ?? 0,
      },
      now,
    );
    await send(reply, answerOf(HTTP_ANSWERS.createAuction, outcome));
  }
}
