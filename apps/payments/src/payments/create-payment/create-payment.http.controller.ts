import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import {
  answerOf,
  type AuthenticatedUser,
  CurrentUser,
  requireIdempotencyKey,
  RequireScopes,
  send,
} from '@suite/service-kit';
import { SCOPES } from '@suite/contracts';
import type { FastifyReply } from 'fastify';
import { callerScope } from '../../http/idempotency-key';
import { HTTP_ANSWERS } from '../../http/payments.answers';
import { CreatePaymentRequest } from './create-payment.request';
import { CreatePaymentUseCase } from './create-payment.use-case';
import { ApiCreatedResponse, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IDEMPOTENCY_KEY_HEADER_DOC } from '@suite/service-kit';
import { PaymentFailedResponse, PaymentResponse } from '../../http/payments.responses';

@ApiTags('payments')
@Controller('payments')
export class CreatePaymentHttpController {
  constructor(private readonly createPayment: CreatePaymentUseCase) {}

  @Post()
  // The back-office API: a shopper pays through a checkout, never here (403).
  @RequireScopes(SCOPES.paymentsWrite)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiCreatedResponse({
    description: 'Captured',
    type: PaymentResponse,
    // For the fuzz stage's stateful phase: the new payment, and a refund of it.
    links: {
      thePayment: {
        operationId: 'GetPaymentHttpController_get',
        parameters: { id: '$response.body#/id' },
      },
      aRefund: {
        operationId: 'RefundPaymentHttpController_create',
        parameters: { id: '$response.body#/id' },
      },
    },
  })
  @ApiResponse({ status: 402, description: 'The payment failed', type: PaymentFailedResponse })
  @ApiErrors({
    409: 'A request with this Idempotency-Key is still running',
    422: 'The Idempotency-Key was used with a different request',
    503: 'The card processor did not answer; retry with the same Idempotency-Key',
  })
  async create(
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: CreatePaymentRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const key = requireIdempotencyKey(keyHeader);
    const outcome = await this.createPayment.execute({ scope: callerScope(user), key, ...body });
    return send(reply, answerOf(HTTP_ANSWERS.createPayment, outcome));
  }
}
