import type { SqlExecutor } from '@suite/coordination';
import { seatFence, type Hold } from '../../holds/domain/hold';
import { toHold, type HoldRow } from '../../holds/infra/holds.repository';

// Hand-written SQL of the checkout's hot path, in one place: one statement for each thing a
// step or the POST needs, because under load every statement of a transaction costs a wait
// on the service's event loop with the transaction open (ADR 21). Every method runs on the
// caller's executor, inside the caller's transaction.

export interface HoldForCheckout {
  hold: Hold;
  // Missing only if the event vanished, which the schema's foreign key forbids.
  event: { priceMinor: number; currency: string } | undefined;
}

export type VerifyOutcome =
  // The hold as it was before this statement; `moved` when this statement took it.
  { hold: Hold; moved: boolean } | undefined;

export class CheckoutRepository {
  // The hold, locked until the transaction ends, with its event's price: what the POST
  // needs to decide on an order, in one statement.
  async holdForCheckout(sql: SqlExecutor, holdId: string): Promise<HoldForCheckout | undefined> {
    const { rows } = await sql.query<
      HoldRow & { price_minor: string | null; currency: string | null }
    >(
      `select h.*, e.price_minor, e.currency
         from holds h left join events e on e.id = h.event_id
        where h.id = $1
          for update of h`,
      [holdId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const event =
      row.price_minor === null || row.currency === null
        ? undefined
        : { priceMinor: Number(row.price_minor), currency: row.currency };
    return { hold: toHold(row), event };
  }

  // Locks the hold and moves it to checking-out for the order if it is active, unexpired at
  // `now` and owned by `userId` (checkoutEligibility's rule; the caller words a refusal from
  // the hold as it was). One statement: the lock, the check and the move.
  async verify(
    sql: SqlExecutor,
    holdId: string,
    orderId: string,
    userId: string,
    now: Date,
  ): Promise<VerifyOutcome> {
    const { rows } = await sql.query<HoldRow & { moved: boolean }>(
      `with prior as (select * from holds where id = $1 for update),
       moved as (
         update holds h set status = 'checking-out', order_id = $2
           from prior
          where h.id = prior.id and prior.status = 'active' and prior.user_id = $3
            and prior.expires_at > $4
         returning h.id)
       select prior.*, exists (select 1 from moved) as moved from prior`,
      [holdId, orderId, userId, now],
    );
    const row = rows[0];
    return row ? { hold: toHold(row), moved: row.moved } : undefined;
  }

  // Undoes verify() in the same transaction (its row lock is still held), for a hold whose
  // Redis leases turned out lost.
  async unverify(sql: SqlExecutor, holdId: string, orderId: string): Promise<void> {
    await sql.query(
      `update holds set status = 'active', order_id = null
        where id = $1 and status = 'checking-out' and order_id = $2`,
      [holdId, orderId],
    );
  }

  // The confirm-seats step, one round trip (ticketing_confirm_seats, ADR 21): fences, the
  // hold's owner, the sale and the hold's move, all or nothing. Undefined when the seats are
  // sold to the order, else why not.
  async confirmSeats(
    sql: SqlExecutor,
    sale: {
      orderId: string;
      holdId: string;
      eventId: string;
      userId: string;
      tokens: Record<string, number>;
    },
  ): Promise<string | undefined> {
    const seatIds = Object.keys(sale.tokens).sort();
    const { rows } = await sql.query<{ refusal: string | null }>(
      `select ticketing_confirm_seats($1, $2, $3, $4, $5::text[], $6::text[], $7::bigint[]) as refusal`,
      [
        sale.orderId,
        sale.holdId,
        sale.eventId,
        sale.userId,
        seatIds,
        seatIds.map((seatId) => seatFence(sale.eventId, seatId)),
        seatIds.map((seatId) => String(sale.tokens[seatId])),
      ],
    );
    return rows[0]?.refusal ?? undefined;
  }

  // Removes tickets this transaction inserted, for an issue-tickets step that is refused
  // after its insert.
  async withdrawTickets(sql: SqlExecutor, ticketIds: readonly string[]): Promise<void> {
    if (ticketIds.length === 0) return;
    await sql.query(`delete from tickets where id = any($1::uuid[])`, [ticketIds]);
  }
}
