import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import { IdParams } from '../http/id.params';
import { GetOrderUseCase, type OrderView } from './get-order/get-order.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { OrderResponse } from '../http/ticketing.responses';

@ApiTags('orders')
@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly getOrder: GetOrderUseCase) {}

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors({ 404: 'No such order of the caller' })
  async get(@Param() params: IdParams, @CurrentUser() user: AuthenticatedUser): Promise<OrderView> {
    const result = await this.getOrder.execute(params.id, user.userId);
    // Another user's order answers as a missing one: a 403 would confirm that the id exists.
    if (result.kind === 'not-found' || result.kind === 'not-owner')
      throw new NotFoundException(`order ${params.id} does not exist`);
    return result.order;
  }
}
