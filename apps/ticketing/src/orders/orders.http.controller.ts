import { Controller, ForbiddenException, Get, NotFoundException, Param } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/coordination-nest';
import { IdParams } from '../http/id.params';
import { GetOrderUseCase, type OrderView } from './get-order/get-order.use-case';

@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly getOrder: GetOrderUseCase) {}

  @Get(':id')
  async get(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<OrderView> {
    const result = await this.getOrder.execute(params.id, user.userId);
    if (result.kind === 'not-found')
      throw new NotFoundException(`order ${params.id} does not exist`);
    if (result.kind === 'not-owner')
      throw new ForbiddenException('this order belongs to another user');
    return result.order;
  }
}
