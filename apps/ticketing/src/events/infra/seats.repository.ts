import type { SqlExecutor } from '@suite/coordination';

export interface SeatRow {
  seat_id: string;
  section: string;
  row_label: string;
  number: number;
  status: 'available' | 'sold';
}

export interface SeatPage {
  total: number;
  seats: SeatRow[];
}

// Hand-written SQL for seats and tickets, in one place. Every write runs on the caller's
// executor, inside the caller's transaction.
export class SeatsRepository {
  async page(
    sql: SqlExecutor,
    eventId: string,
    filter: { section?: string; limit: number; offset: number },
  ): Promise<SeatPage> {
    const section = filter.section ?? null;
    const total = await sql.query<{ n: number }>(
      `select count(*)::int as n from seats where event_id = $1 and ($2::text is null or section = $2)`,
      [eventId, section],
    );
    const seats = await sql.query<SeatRow>(
      `select seat_id, section, row_label, number, status from seats
        where event_id = $1 and ($2::text is null or section = $2)
        order by section, row_label::int, number
        limit $3 offset $4`,
      [eventId, section, filter.limit, filter.offset],
    );
    return { total: total.rows[0]?.n ?? 0, seats: seats.rows };
  }

  async statuses(
    sql: SqlExecutor,
    eventId: string,
    seatIds: readonly string[],
  ): Promise<Map<string, 'available' | 'sold'>> {
    const { rows } = await sql.query<{ seat_id: string; status: 'available' | 'sold' }>(
      `select seat_id, status from seats where event_id = $1 and seat_id = any($2::text[])`,
      [eventId, seatIds],
    );
    return new Map(rows.map((r) => [r.seat_id, r.status]));
  }

  // Sells the seats to the order. Returns the seats it could not sell (sold to another
  // order). Selling again to the same order is a no-op, so a retried step succeeds.
  async markSold(
    sql: SqlExecutor,
    sale: { eventId: string; orderId: string; userId: string; tokens: Record<string, number> },
  ): Promise<string[]> {
    const seatIds = Object.keys(sale.tokens).sort();
    const tokens = seatIds.map((id) => String(sale.tokens[id]));
    const { rows } = await sql.query<{ seat_id: string }>(
      `update seats s
          set status = 'sold', sold_to = $3, order_id = $2, fence_token = t.token::bigint
         from unnest($4::text[], $5::text[]) as t(seat_id, token)
        where s.event_id = $1 and s.seat_id = t.seat_id
          and (s.status = 'available' or s.order_id = $2)
        returning s.seat_id`,
      [sale.eventId, sale.orderId, sale.userId, seatIds, tokens],
    );
    const sold = new Set(rows.map((r) => r.seat_id));
    return seatIds.filter((id) => !sold.has(id));
  }

  // Undoes markSold and issueTickets for one order.
  async unsell(sql: SqlExecutor, orderId: string): Promise<number> {
    await sql.query(`delete from tickets where order_id = $1`, [orderId]);
    const { rowCount } = await sql.query(
      `update seats set status = 'available', sold_to = null, order_id = null, fence_token = null
        where order_id = $1`,
      [orderId],
    );
    return rowCount ?? 0;
  }

  // One ticket per seat sold to the order. Returns the tickets this call created, how many
  // seats are sold to the order, and those of its seats whose ticket belongs to another
  // order. One statement in the common case: its reads see the tickets committed before it
  // began, not the rows its insert adds, so a seat is ours when this insert took it or an
  // earlier attempt of the order did. A seat the unique (event, seat) key refused to a ticket
  // the statement cannot see was taken by a concurrent insert that ON CONFLICT waited for:
  // only then a second read, which sees that ticket, says whose it is.
  async issueTickets(sql: SqlExecutor, orderId: string): Promise<TicketIssue> {
    const { rows } = await sql.query<{
      seat_id: string;
      event_id: string;
      issued_id: string | null;
      ours: boolean;
    }>(
      `with sold as (
         select event_id, seat_id from seats where order_id = $1 and status = 'sold'),
       issued as (
         insert into tickets (id, order_id, event_id, seat_id)
         select gen_random_uuid(), $1, event_id, seat_id from sold
         on conflict (event_id, seat_id) do nothing
         returning id, event_id, seat_id)
       select s.seat_id, s.event_id, i.id as issued_id,
              (i.id is not null or coalesce(t.order_id = $1, false)) as ours
         from sold s
         left join issued i on i.event_id = s.event_id and i.seat_id = s.seat_id
         left join tickets t on t.event_id = s.event_id and t.seat_id = s.seat_id
        order by s.seat_id`,
      [orderId],
    );
    const unclear = rows.filter((r) => !r.ours).map((r) => r.seat_id);
    return {
      issued: rows.flatMap((r) =>
        r.issued_id === null ? [] : [{ id: r.issued_id, event_id: r.event_id, seat_id: r.seat_id }],
      ),
      sold: rows.length,
      ticketedElsewhere: unclear.length === 0 ? [] : await this.ticketedElsewhere(sql, orderId),
    };
  }

  private async ticketedElsewhere(sql: SqlExecutor, orderId: string): Promise<string[]> {
    const { rows } = await sql.query<{ seat_id: string }>(
      `select s.seat_id from seats s
         left join tickets t on t.event_id = s.event_id and t.seat_id = s.seat_id
        where s.order_id = $1 and s.status = 'sold' and t.order_id is distinct from $1
        order by s.seat_id`,
      [orderId],
    );
    return rows.map((r) => r.seat_id);
  }
}

export interface TicketIssue {
  issued: { id: string; event_id: string; seat_id: string }[];
  sold: number;
  ticketedElsewhere: string[];
}
