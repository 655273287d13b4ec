import type { SqlExecutor } from '@suite/coordination';

export interface Order {
  id: string;
  userId: string;
  idempotencyKey: string;
  holdId: string;
  eventId: string;
  seatIds: string[];
  amountMinor: number;
  currency: string;
}

export interface Ticket {
  ticketId: string;
  seatId: string;
}

interface OrderRow {
  id: string;
  user_id: string;
  idempotency_key: string;
  hold_id: string;
  event_id: string;
  seat_ids: string[];
  amount_minor: string;
  currency: string;
}

const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  userId: r.user_id,
  idempotencyKey: r.idempotency_key,
  holdId: r.hold_id,
  eventId: r.event_id,
  seatIds: r.seat_ids,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
});

export class OrdersRepository {
  // False when the hold already has an order (one checkout per hold).
  async insert(sql: SqlExecutor, order: Order): Promise<boolean> {
    const { rowCount } = await sql.query(
      `insert into orders (id, user_id, idempotency_key, hold_id, event_id, seat_ids, amount_minor, currency)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (hold_id) do nothing`,
      [
        order.id,
        order.userId,
        order.idempotencyKey,
        order.holdId,
        order.eventId,
        order.seatIds,
        order.amountMinor,
        order.currency,
      ],
    );
    return rowCount === 1;
  }

  async find(sql: SqlExecutor, id: string): Promise<Order | undefined> {
    const { rows } = await sql.query<OrderRow>(`select * from orders where id = $1`, [id]);
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async tickets(sql: SqlExecutor, orderId: string): Promise<Ticket[]> {
    const { rows } = await sql.query<{ id: string; seat_id: string }>(
      `select id, seat_id from tickets where order_id = $1 order by seat_id`,
      [orderId],
    );
    return rows.map((r) => ({ ticketId: r.id, seatId: r.seat_id }));
  }
}
