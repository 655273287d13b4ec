import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import { IdParams } from '../http/id.params';
import { GetOrderUseCase } from './get-order/get-order.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { answerOf, HTTP_ANSWERS, send } from '../http/ticketing.answers';
import { OrderResponse } from '../http/ticketing.responses';

@ApiTags('orders')
@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly getOrder: GetOrderUseCase) {}

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors({ 404: 'No such order of the caller' })
  async get(
    @Param() params: IdParams,
    @CurrentUser() user: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.getOrder.execute(params.id, user.userId);
    await send(reply, answerOf(HTTP_ANSWERS.getOrder, result));
  }
}
