import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
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
import { PaymentIdParams } from '../../http/payment-id.params';
import { RefundPaymentRequest } from './refund-payment.request';
import { RefundPaymentUseCase } from './refund-payment.use-case';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IDEMPOTENCY_KEY_HEADER_DOC } from '@suite/service-kit';
import { RefundResponse } from '../../http/payments.responses';

@ApiTags('payments')
@Controller('payments/:id/refunds')
export class RefundPaymentHttpController {
  constructor(private readonly refundPayment: RefundPaymentUseCase) {}

  @Post()
  // The back-office API: a shopper's refund is a checkout's compensation, never this (403).
  @RequireScopes(SCOPES.paymentsWrite)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiCreatedResponse({ description: 'Refunded', type: RefundResponse })
  @ApiErrors({
    404: 'No such payment of the caller',
    409: 'The payment cannot be refunded, the PSP refused, or a request with this key is still running',
    422: 'More than is left to refund, or the key was used with a different request',
    503: 'The card processor did not answer; retry with the same Idempotency-Key',
  })
  async create(
    @Param() params: PaymentIdParams,
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Body() body: RefundPaymentRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const key = requireIdempotencyKey(keyHeader);
    const outcome = await this.refundPayment.execute({
      scope: callerScope(user),
      key,
      paymentId: params.id,
      amountMinor: body.amountMinor,
    });
    return send(reply, answerOf(HTTP_ANSWERS.refundPayment, outcome));
  }
}
