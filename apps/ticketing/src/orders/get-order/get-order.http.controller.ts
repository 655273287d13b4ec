import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { IdParams } from '../../http/id.params';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { OrderResponse } from '../../http/ticketing.responses';
import { GetOrderUseCase } from './get-order.use-case';

@ApiTags('orders')
@Controller('orders')
export class GetOrderHttpController {
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
