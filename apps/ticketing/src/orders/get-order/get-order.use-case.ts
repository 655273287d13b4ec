import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import {
  orderFailure,
  orderStatusOf,
  type OrderFailureCode,
  type OrderStatus,
} from '../../checkout/domain/order-status';
import { AUTOCOMMIT } from '../../ticketing.tokens';
import { OrdersRepository, type Ticket } from '../infra/orders.repository';

export interface OrderView {
  orderId: string;
  status: OrderStatus;
  holdId: string;
  eventId: string;
  seatIds: string[];
  amountMinor: number;
  currency: string;
  tickets: Ticket[];
  // Only on a failed order, or one that needs attention: a stable code and its sentence.
  reason?: OrderFailureCode;
  reasonMessage?: string;
}

export type GetOrderResult =
  | { kind: 'found'; order: OrderView }
  | { kind: 'not-found'; orderId: string }
  | { kind: 'not-owner'; orderId: string };

@Injectable()
export class GetOrderUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly orders: OrdersRepository,
  ) {}

  async execute(orderId: string, userId?: string): Promise<GetOrderResult> {
    const found = await this.orders.findView(this.sql, orderId);
    if (!found) return { kind: 'not-found', orderId };
    const { order, tickets, saga } = found;
    if (userId !== undefined && order.userId !== userId) return { kind: 'not-owner', orderId };
    // The saga commits in the order's own transaction, so it is there; pending is a safe default.
    const status: OrderStatus = saga ? orderStatusOf(saga) : 'pending';
    const failure = saga ? orderFailure(saga.history, status) : undefined;
    return {
      kind: 'found',
      order: {
        orderId: order.id,
        status,
        holdId: order.holdId,
        eventId: order.eventId,
        seatIds: order.seatIds,
        amountMinor: order.amountMinor,
        currency: order.currency,
        tickets,
        ...failure,
      },
    };
  }
}
