import type { SqlExecutor } from '@suite/coordination';

// Events kept at once; the least recently used goes first.
const EVENTS_KEPT = 64;

// Which seats each event has, read from Postgres once per event and kept: events and seats
// are only ever created by migrations and never deleted, so a seat id found once stays
// valid. A hold is checked against it before any lease is taken, because every seat a lease
// is taken on keeps a fencing counter in Redis for good: ids that name no seat must never
// get that far. An event that does not exist is not remembered.
export class SeatCatalogue {
  private readonly events = new Map<string, ReadonlySet<string>>();
  private readonly loading = new Map<string, Promise<ReadonlySet<string> | undefined>>();

  // The event's seat ids, or undefined when there is no such event.
  async seatsOf(sql: SqlExecutor, eventId: string): Promise<ReadonlySet<string> | undefined> {
    const known = this.events.get(eventId);
    if (known !== undefined) {
      // Most recently used last.
      this.events.delete(eventId);
      this.events.set(eventId, known);
      return known;
    }
    // Concurrent first requests for one event share one read.
    let pending = this.loading.get(eventId);
    if (pending === undefined) {
      pending = this.load(sql, eventId).finally(() => this.loading.delete(eventId));
      this.loading.set(eventId, pending);
    }
    return pending;
  }

  private async load(sql: SqlExecutor, eventId: string): Promise<ReadonlySet<string> | undefined> {
    const { rows } = await sql.query<{ seat_id: string | null }>(
      `select s.seat_id from events e left join seats s on s.event_id = e.id where e.id = $1`,
      [eventId],
    );
    if (rows.length === 0) return undefined;
    const seats = new Set(rows.flatMap((r) => (r.seat_id === null ? [] : [r.seat_id])));
    this.events.set(eventId, seats);
    if (this.events.size > EVENTS_KEPT) {
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
    return seats;
  }
}
