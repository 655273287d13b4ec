import { Body, Controller, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/auction.answers';
import { BidAcceptedResponse, BidRejectedResponse } from '../../http/auction.responses';
import { PlaceBidRequest } from './place-bid.request';
import { PlaceBidUseCase } from './place-bid.use-case';

@ApiTags('bids')
@Controller('auctions')
export class PlaceBidHttpController {
  constructor(private readonly placeBid: PlaceBidUseCase) {}

  @ApiParam({ name: 'auctionId', type: 'string', format: 'uuid' })
  @Post(':auctionId/bids')
  @ApiCreatedResponse({ description: 'Accepted', type: BidAcceptedResponse })
  @ApiResponse({ status: 403, description: 'The seller cannot bid', type: BidRejectedResponse })
  @ApiResponse({ status: 404, description: 'No such auction', type: BidRejectedResponse })
  @ApiResponse({
    status: 409,
    description: 'Too low, not open yet, or ended',
    type: BidRejectedResponse,
  })
  async place(
    @Param('auctionId', new ParseUUIDPipe()) auctionId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: PlaceBidRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.placeBid.execute({
      auctionId,
      bidderId: user.userId,
      amount: body.amount,
    });
    await send(reply, answerOf(HTTP_ANSWERS.placeBid, outcome));
  }
}
