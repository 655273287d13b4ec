import { Controller, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import {
  PaymentFailedResponse,
  PaymentResponse,
  RefundResponse,
} from '../../http/payments.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { CreatePaymentRequest, RefundPaymentRequest } from './payments.request';
import { answerOf, send } from '@suite/service-kit';

const KEY_REUSED = {
  description: 'The Idempotency-Key was already used with a different request',
  type: ErrorResponse,
};

// Payments' back-office API: a shopper pays and is refunded through a checkout, never here.
const BACK_OFFICE = {
  description: 'The token lacks the payments:write scope',
  type: ErrorResponse,
};

// The payments routes. Both money routes carry an Idempotency-Key, which payments
// stores with the payment and uses to answer retries with the first result.
@ApiTags('payments')
@Controller()
export class PaymentsHttpController {
  constructor(private readonly relay: ProxyRelay) {}

  @ProxyRoute(ROUTES.createPayment)
  @ApiBody({ type: CreatePaymentRequest })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiResponse({
    status: 402,
    description: 'The card processor declined',
    type: PaymentFailedResponse,
  })
  @ApiResponse({
    status: 409,
    description: 'A request with this key is still in progress',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  @ApiForbiddenResponse(BACK_OFFICE)
  async createPayment(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.createPayment, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.refundPayment)
  @ApiBody({ type: RefundPaymentRequest, required: false })
  @ApiCreatedResponse({ type: RefundResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiResponse({
    status: 409,
    description:
      'The payment cannot be refunded, the card processor refused, or a request with this key is still in progress',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse(KEY_REUSED)
  @ApiForbiddenResponse(BACK_OFFICE)
  async refundPayment(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.refundPayment, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getPayment)
  @ApiOkResponse({ type: PaymentResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async getPayment(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getPayment, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
