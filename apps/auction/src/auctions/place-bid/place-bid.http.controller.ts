import { Body, Controller, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { problem, send } from '../../http/send';
import type { BidRejection } from '../domain/auction';
import { PlaceBidRequest } from './place-bid.request';
import { PlaceBidUseCase } from './place-bid.use-case';
import { ApiCreatedResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BidAcceptedResponse, BidRejectedResponse } from '../auction.responses';

// Each refusal: its status, its error code, and the sentence the client reads.
const REJECTIONS: Record<
  BidRejection,
  { status: number; error: string; message: (minimum: number | null) => string }
> = {
  'not-found': { status: 404, error: 'auction_not_found', message: () => 'auction does not exist' },
  'seller-cannot-bid': {
    status: 403,
    error: 'seller_cannot_bid',
    message: () => 'the seller cannot bid on their own auction',
  },
  closed: { status: 409, error: 'auction_closed', message: () => 'the auction has ended' },
  'not-open': {
    status: 409,
    error: 'auction_not_open',
    message: () => 'the auction has not started yet',
  },
  'too-low': {
    status: 409,
    error: 'bid_too_low',
    message: (minimum) => `bid too low: the minimum bid is now ${minimum}`,
  },
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

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
    if (outcome.kind === 'accepted') {
      return send(reply, 201, {
        outcome: 'accepted',
        bid: {
          seq: outcome.seq,
          bidderId: user.userId,
          amount: body.amount,
          placedAt: iso(outcome.placedAt),
        },
        minimumBid: outcome.minimumBid,
        endsAt: iso(outcome.endsAt),
      });
    }
    const rejection = REJECTIONS[outcome.reason];
    return send(
      reply,
      rejection.status,
      problem(rejection.status, rejection.error, rejection.message(outcome.minimumBid), {
        outcome: 'rejected',
        reason: outcome.reason,
        highBid: outcome.highAmount,
        minimumBid: outcome.minimumBid,
        endsAt: iso(outcome.endsAt),
      }),
    );
  }
}
