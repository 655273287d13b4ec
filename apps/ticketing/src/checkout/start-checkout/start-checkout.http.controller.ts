import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import {
  answerOf,
  type AuthenticatedUser,
  CurrentUser,
  requireIdempotencyKey,
  send,
} from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { StartCheckoutRequest } from './start-checkout.request';
import { StartCheckoutUseCase } from './start-checkout.use-case';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, IDEMPOTENCY_KEY_HEADER_DOC } from '@suite/service-kit';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { CheckoutPendingResponse, OrderResponse } from '../../http/ticketing.responses';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

@ApiTags('checkouts')
@Controller('checkouts')
export class StartCheckoutHttpController {
  constructor(private readonly startCheckout: StartCheckoutUseCase) {}

  @Post()
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiCreatedResponse({ description: 'Completed within the short wait', type: OrderResponse })
  @ApiOkResponse({ description: 'Ended without tickets: the order says why', type: OrderResponse })
  @ApiAcceptedResponse({
    description: 'Still running: poll statusUrl',
    type: CheckoutPendingResponse,
  })
  @ApiErrors({
    404: 'No such hold, or it belongs to another user',
    409: 'The hold is not active, is already being checked out, or a request with this key is still running',
    422: 'The key was used with a different request, or the order cannot be paid',
  })
  async start(
    @Body() body: StartCheckoutRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.startCheckout.execute({
      ...body,
      userId: user.userId,
      idempotencyKey: requireIdempotencyKey(idempotencyKey),
    });
    await send(reply, answerOf(HTTP_ANSWERS.startCheckout, result));
  }
}
