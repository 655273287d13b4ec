import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import { callerScope } from '../../http/idempotency-key';
import { PaymentIdParams } from '../../http/payment-id.params';
import type { PaymentView } from '../domain/payment-view';
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
  ): Promise<PaymentView> {
    const payment = await this.getPayment.execute({
      scope: callerScope(user),
      paymentId: params.id,
    });
    if (!payment) throw new NotFoundException(`no payment ${params.id}`);
    return payment;
  }
}
