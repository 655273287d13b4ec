import { Controller, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AUCTION_LIMITS } from '@suite/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AuctionListResponse,
  AuctionResponse,
  BidAcceptedResponse,
  BidHistoryResponse,
  BidRejectedResponse,
} from '../../http/auction.responses';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { CreateAuctionRequest, PlaceBidRequest } from './auction.request';
import { answerOf, send } from '@suite/service-kit';

const INVALID_FIELD = { description: 'A field is missing or malformed', type: ErrorResponse };
const NO_AUCTION = { description: 'No such auction', type: ErrorResponse };

// The auction service's public routes. Writes need a token (the seller and the bidder are
// the token's subject); reads are public, as the service serves them. Whether a bid wins
// is decided by the service; its refusal (409 with the reason) reaches the client as is.
@ApiTags('auction')
@Controller()
export class AuctionHttpController {
  constructor(private readonly relay: ProxyRelay) {}

  @ProxyRoute(ROUTES.createAuction)
  @ApiBody({ type: CreateAuctionRequest })
  @ApiCreatedResponse({ type: AuctionResponse })
  @ApiBadRequestResponse(INVALID_FIELD)
  @ApiUnprocessableEntityResponse({
    description: 'Impossible terms (ends before it starts, in the past…)',
    type: ErrorResponse,
  })
  async createAuction(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.createAuction, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.listAuctions)
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'closed'] })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: AUCTION_LIMITS.maxAuctionPage },
  })
  @ApiOkResponse({ type: AuctionListResponse })
  @ApiBadRequestResponse(INVALID_FIELD)
  async listAuctions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.listAuctions, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getAuction)
  @ApiOkResponse({ type: AuctionResponse })
  @ApiBadRequestResponse({ description: 'The id is not a UUID', type: ErrorResponse })
  @ApiNotFoundResponse(NO_AUCTION)
  async getAuction(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getAuction, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.placeBid)
  @ApiBody({ type: PlaceBidRequest })
  @ApiCreatedResponse({ description: 'Accepted: the new high bid', type: BidAcceptedResponse })
  @ApiBadRequestResponse(INVALID_FIELD)
  @ApiConflictResponse({
    description: 'Rejected: bid_too_low, auction_closed or auction_not_open, with the minimum bid',
    type: BidRejectedResponse,
  })
  @ApiForbiddenResponse({ description: 'The seller cannot bid', type: BidRejectedResponse })
  @ApiNotFoundResponse({ description: 'No such auction', type: BidRejectedResponse })
  async placeBid(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.placeBid, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.listBids)
  @ApiQuery({
    name: 'afterSeq',
    required: false,
    schema: { type: 'integer', minimum: 0, maximum: AUCTION_LIMITS.maxAfterSeq },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: AUCTION_LIMITS.maxBidPage },
  })
  @ApiOkResponse({ type: BidHistoryResponse })
  @ApiNotFoundResponse(NO_AUCTION)
  async listBids(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.listBids, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
