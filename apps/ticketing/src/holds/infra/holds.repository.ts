import type { SqlExecutor } from '@suite/coordination';
import type { Hold, HoldStatus } from '../domain/hold';

export interface HoldRow {
  id: string;
  event_id: string;
  user_id: string;
  seat_ids: string[];
  tokens: Record<string, number>;
  expires_at: Date;
  status: HoldStatus;
  order_id: string | null;
}

export const toHold = (r: HoldRow): Hold => ({
  id: r.id,
  eventId: r.event_id,
  userId: r.user_id,
  seatIds: r.seat_ids,
  tokens: r.tokens,
  expiresAt: r.expires_at.getTime(),
  status: r.status,
  orderId: r.order_id,
});

// $1..$7 of both inserts: id, event_id, user_id, seat_ids, tokens, expires_at, status.
const toInsertValues = (hold: Hold): unknown[] => [
  hold.id,
  hold.eventId,
  hold.userId,
  hold.seatIds,
  JSON.stringify(hold.tokens),
  new Date(hold.expiresAt),
  hold.status,
];

// Hand-written SQL for holds, in one place; every method runs on the caller's executor.
export class HoldsRepository {
  async insert(sql: SqlExecutor, hold: Hold): Promise<void> {
    await sql.query(
      `insert into holds (id, event_id, user_id, seat_ids, tokens, expires_at, status)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      toInsertValues(hold),
    );
  }

  // Inserts the hold unless one of its seats is sold or the user would then hold more than
  // `maxHeld` seats of the event in active holds unexpired at `now`, and returns what it
  // found: both checks and the write in one statement, on one snapshot. That snapshot is
  // taken when the statement starts: call it after the per-(user, event) lock and the seats'
  // fences are taken, so it sees every hold of the user and every sale of these seats
  // committed before them.
  async insertUnlessRefused(
    sql: SqlExecutor,
    hold: Hold,
    maxHeld: number,
    now: Date,
  ): Promise<{ inserted: boolean; heldSeats: number; soldSeats: string[] }> {
    const { rows } = await sql.query<{ inserted: boolean; held: string; sold: string[] }>(
      `with found as (
         select (select coalesce(sum(cardinality(seat_ids)), 0) from holds
                  where user_id = $3::text and event_id = $2::uuid and status = 'active'
                    and expires_at > $8::timestamptz) as held,
                array(select seat_id from seats
                       where event_id = $2::uuid and seat_id = any($4::text[])
                         and status = 'sold' order by seat_id) as sold),
       inserted as (
         insert into holds (id, event_id, user_id, seat_ids, tokens, expires_at, status)
         select $1::uuid, $2::uuid, $3::text, $4::text[], $5::jsonb, $6::timestamptz, $7::text
           from found
          where cardinality(found.sold) = 0
            and found.held + cardinality($4::text[]) <= $9::int
         returning id)
       select exists (select 1 from inserted) as inserted, held::text as held, sold from found`,
      [...toInsertValues(hold), now, maxHeld],
    );
    const row = rows[0];
    if (!row) throw new Error(`inserting hold ${hold.id} returned no row`);
    return { inserted: row.inserted, heldSeats: Number(row.held), soldSeats: row.sold };
  }

  // Serialises the transactions that place holds for one user in one event until they end,
  // so a count taken after it sees every hold of that user committed before.
  async lockUserEvent(sql: SqlExecutor, userId: string, eventId: string): Promise<void> {
    await sql.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `held-seats:${eventId}:${userId}`,
    ]);
  }

  // The naive mechanism (HOLD_MECHANISM=naive): locks the seats' rows until the transaction
  // ends, in seat order so that two holds of overlapping seats cannot deadlock, and returns
  // each seat's status.
  async lockSeatRows(
    sql: SqlExecutor,
    eventId: string,
    seatIds: readonly string[],
  ): Promise<Map<string, string>> {
    const { rows } = await sql.query<{ seat_id: string; status: string }>(
      `select seat_id, status from seats
        where event_id = $1 and seat_id = any($2::text[])
        order by seat_id for update`,
      [eventId, seatIds],
    );
    return new Map(rows.map((r) => [r.seat_id, r.status]));
  }

  // The naive mechanism: which of these seats an active hold that has not expired by `now`
  // already has. Scans the event's live holds (holds_active_by_expiry), no seat index.
  async seatsInLiveHolds(
    sql: SqlExecutor,
    eventId: string,
    seatIds: readonly string[],
    now: Date,
  ): Promise<string[]> {
    const { rows } = await sql.query<{ seat_id: string }>(
      `select distinct seat as seat_id from holds, unnest(seat_ids) as seat
        where status = 'active' and expires_at > $3 and event_id = $1
          and seat_ids && $2::text[] and seat = any($2::text[])
        order by seat`,
      [eventId, seatIds, now],
    );
    return rows.map((r) => r.seat_id);
  }

  async find(sql: SqlExecutor, id: string, lock = false): Promise<Hold | undefined> {
    const { rows } = await sql.query<HoldRow>(
      `select * from holds where id = $1${lock ? ' for update' : ''}`,
      [id],
    );
    return rows[0] ? toHold(rows[0]) : undefined;
  }

  // Compare-and-set on the status, so two racing transitions cannot both win.
  async move(
    sql: SqlExecutor,
    id: string,
    from: readonly HoldStatus[],
    to: HoldStatus,
    orderId?: string,
  ): Promise<boolean> {
    const { rowCount } = await sql.query(
      `update holds set status = $3, order_id = coalesce($4, order_id)
        where id = $1 and status = any($2::text[])`,
      [id, from, to, orderId ?? null],
    );
    return rowCount === 1;
  }

  // Active holds past expiry (plus a grace), oldest first, marked expired; rows another
  // sweeper is marking are skipped.
  async expireDue(sql: SqlExecutor, before: Date, limit: number): Promise<Hold[]> {
    const { rows } = await sql.query<HoldRow>(
      `with due as (
         select id from holds where status = 'active' and expires_at <= $1
          order by expires_at limit $2 for update skip locked)
       update holds h set status = 'expired' from due where h.id = due.id
       returning h.*`,
      [before, limit],
    );
    return rows.map(toHold);
  }
}
