import type { SqlExecutor } from '@suite/coordination';

export interface TicketingViolations {
  // Seats with more than one ticket, or a ticket whose order is not the seat's buyer.
  seatsSoldTwice: number;
  // Tickets whose seat is not sold (to anyone).
  ticketsWithoutSoldSeat: number;
  // Seats sold to an order whose checkout completed but that has no ticket for it.
  soldSeatsWithoutTicket: number;
  // Seats still sold to an order whose checkout was undone (compensated): lost to the sale.
  seatsSoldToUndoneOrders: number;
  // Checkout sagas still running or compensating, or failed (needing an operator).
  sagasNotTerminal: number;
  sagasFailed: number;
}

// Reads the ticketing database after a run and counts what must never happen. No
// framework: tests, the demo and an operator's script call it with any executor.
export async function verifyTicketingInvariants(sql: SqlExecutor): Promise<TicketingViolations> {
  const count = async (query: string): Promise<number> =>
    (await sql.query<{ n: number }>(query)).rows[0]?.n ?? 0;
  return {
    seatsSoldTwice: await count(`
      select count(*)::int as n from (
        select t.event_id, t.seat_id from tickets t
          join seats s on s.event_id = t.event_id and s.seat_id = t.seat_id
         group by t.event_id, t.seat_id
        having count(*) > 1 or bool_or(s.order_id is distinct from t.order_id)) twice`),
    ticketsWithoutSoldSeat: await count(`
      select count(*)::int as n from tickets t
        join seats s on s.event_id = t.event_id and s.seat_id = t.seat_id
       where s.status <> 'sold'`),
    soldSeatsWithoutTicket: await count(`
      select count(*)::int as n from seats s
        join saga_instances g on g.id = s.order_id::text
       where s.status = 'sold' and g.status = 'completed'
         and not exists (select 1 from tickets t where t.event_id = s.event_id and t.seat_id = s.seat_id)`),
    seatsSoldToUndoneOrders: await count(`
      select count(*)::int as n from seats s
        join saga_instances g on g.id = s.order_id::text
       where s.status = 'sold' and g.status = 'compensated'`),
    sagasNotTerminal: await count(
      `select count(*)::int as n from saga_instances where status in ('running', 'compensating')`,
    ),
    sagasFailed: await count(
      `select count(*)::int as n from saga_instances where status = 'failed'`,
    ),
  };
}

// One seat in two active holds that have not expired by `now`: the oversell a hold mechanism
// exists to prevent, whichever mechanism placed them. Counts such seats. Holds end, so this
// is a check of one moment (a benchmark's, a test's), not of a finished run.
export async function countSeatsHeldTwice(sql: SqlExecutor, now = new Date()): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `select count(*)::int as n from (
       select event_id, seat from holds, unnest(seat_ids) as seat
        where status = 'active' and expires_at > $1
        group by event_id, seat having count(*) > 1) twice`,
    [now],
  );
  return rows[0]?.n ?? 0;
}
