import { Controller, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LIST_SEATS_LIMITS } from '@suite/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import {
  CheckoutResponse,
  EventListResponse,
  HoldResponse,
  OrderResponse,
  SeatListResponse,
} from '../../http/ticketing.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { CheckoutRequest, PlaceHoldRequest } from './ticketing.request';
import { answerOf, send } from '@suite/service-kit';

// Ticketing's public routes. Each handler only names its route; authorization that
// depends on the resource (only a hold's owner may check it out or release it) is
// ticketing's, from the subject of the token it verifies itself.
@ApiTags('ticketing')
@Controller()
export class TicketingHttpController {
  constructor(private readonly relay: ProxyRelay) {}

  @ProxyRoute(ROUTES.listEvents)
  @ApiOkResponse({ type: EventListResponse })
  async listEvents(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.listEvents, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.listSeats)
  @ApiQuery({
    name: 'section',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: LIST_SEATS_LIMITS.maxSectionLength },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: LIST_SEATS_LIMITS.maxLimit, default: 100 },
  })
  @ApiQuery({
    name: 'offset',
    required: false,
    schema: { type: 'integer', minimum: 0, maximum: LIST_SEATS_LIMITS.maxOffset, default: 0 },
  })
  @ApiOkResponse({ type: SeatListResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async listSeats(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.listSeats, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.placeHold)
  @ApiBody({ type: PlaceHoldRequest })
  @ApiCreatedResponse({ type: HoldResponse })
  @ApiBadRequestResponse({
    description: 'A seat named twice, or a body that breaks the schema',
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'No such event, or no such seat', type: ErrorResponse })
  @ApiConflictResponse({
    description:
      'A seat is already held or sold, or the caller holds as many seats of the event as allowed',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: "More seats than ticketing's cap on one hold (10 unless configured otherwise)",
    type: ErrorResponse,
  })
  async placeHold(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.placeHold, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getHold)
  @ApiOkResponse({ type: HoldResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async getHold(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getHold, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.releaseHold)
  @ApiNoContentResponse({ description: 'Released; its seats are free again' })
  @ApiNotFoundResponse({ description: 'No such hold of the caller', type: ErrorResponse })
  @ApiConflictResponse({ description: 'The hold is no longer active', type: ErrorResponse })
  async releaseHold(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.releaseHold, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.checkout)
  @ApiBody({ type: CheckoutRequest })
  @ApiCreatedResponse({ description: 'Completed within the short wait', type: OrderResponse })
  @ApiOkResponse({ description: 'Ended without tickets: the order says why', type: OrderResponse })
  @ApiAcceptedResponse({ description: 'Still running: poll statusUrl', type: CheckoutResponse })
  @ApiNotFoundResponse({
    description: 'No such hold, or it belongs to another user',
    type: ErrorResponse,
  })
  @ApiConflictResponse({
    description:
      'The hold is not active or is being checked out, or a request with this key is still running',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description:
      'The Idempotency-Key was used with a different request, or the order cannot be paid',
    type: ErrorResponse,
  })
  async checkout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.checkout, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getOrder)
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async getOrder(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getOrder, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
