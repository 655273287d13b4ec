import type { SagaStatus, SqlExecutor } from '@suite/coordination';

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

export interface SagaHistoryEntry {
  event: string;
  step?: string;
  detail?: Record<string, unknown>;
}

export interface OrderRecord {
  order: Order;
  tickets: Ticket[];
  // Where the order's saga stands: what the order's status is derived from.
  saga:
    | { status: SagaStatus; quarantinedAt: number | null; history: SagaHistoryEntry[] }
    | undefined;
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

  // The order as a buyer sees it, in one statement: the order, its tickets, and its saga's
  // status and history (the saga commits with the order, so it is there). What GET
  // /orders/:id and a waiting checkout read: under load each statement waits for a pool
  // connection of its own.
  async findView(sql: SqlExecutor, id: string): Promise<OrderRecord | undefined> {
    const { rows } = await sql.query<
      OrderRow & {
        tickets: Ticket[];
        saga_status: SagaStatus | null;
        quarantined_at: Date | null;
        history: SagaHistoryEntry[] | null;
      }
    >(
      `select o.*,
              coalesce((select json_agg(json_build_object('ticketId', t.id, 'seatId', t.seat_id)
                                        order by t.seat_id)
                          from tickets t where t.order_id = o.id), '[]') as tickets,
              s.status as saga_status, s.quarantined_at,
              (select json_agg(json_strip_nulls(json_build_object(
                        'event', h.event, 'step', h.step, 'detail', h.detail)) order by h.id)
                 from saga_history h where h.saga_id = s.id) as history
         from orders o left join saga_instances s on s.id = o.id::text
        where o.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      order: toOrder(row),
      tickets: row.tickets,
      saga:
        row.saga_status === null
          ? undefined
          : {
              status: row.saga_status,
              quarantinedAt: row.quarantined_at?.getTime() ?? null,
              history: row.history ?? [],
            },
    };
  }
}
