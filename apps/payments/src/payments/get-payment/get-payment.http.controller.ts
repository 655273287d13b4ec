import { Controller, Get, Param, Res } from '@nestjs/common';
import { answerOf, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import { callerScope } from '../../http/idempotency-key';
import { PaymentIdParams } from '../../http/payment-id.params';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/payments.answers';
import { GetPaymentUseCase } from './get-payment.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { PaymentResponse } from '../../http/payments.responses';

@ApiTags('payments')
@Controller('payments')
export class GetPaymentHttpController {
  constructor(private readonly getPayment: GetPaymentUseCase) {}

  // 404 alike for an unknown payment and someone else's; a malformed id is a 400.
  @Get(':id')
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors({ 404: 'No such payment of the caller' })
  async get(
    @Param() params: PaymentIdParams,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.getPayment.execute({
      scope: callerScope(user),
      paymentId: params.id,
    });
    return send(reply, answerOf(HTTP_ANSWERS.getPayment, outcome));
  }
}
