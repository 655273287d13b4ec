import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Headers,
  Post,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CurrentUser, requireIdempotencyKey, type AuthenticatedUser } from '@suite/service-kit';
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
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const result = await this.startCheckout.execute({
      ...body,
      userId: user.userId,
      idempotencyKey: requireIdempotencyKey(idempotencyKey),
    });
    switch (result.kind) {
      case 'payload-mismatch':
        throw new UnprocessableEntityException(
          'this Idempotency-Key was used with a different request body',
        );
      case 'in-progress':
        void reply.header('retry-after', Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
        throw new ConflictException('a request with this Idempotency-Key is still in progress');
      case 'invalid-key':
        throw new BadRequestException(`invalid Idempotency-Key: ${result.reason}`);
      case 'respond':
        void reply.status(result.response.status);
        if (result.response.location) void reply.header('location', result.response.location);
        return result.response.body;
    }
  }
}
