import type { SqlExecutor } from '@suite/coordination';
import type { EventSummary } from '../domain/event';

interface EventRow {
  id: string;
  venue_id: string;
  name: string;
  starts_at: Date;
  // bigint comes back from pg as a string
  price_minor: string;
  currency: string;
}

const COLUMNS = 'id, venue_id, name, starts_at, price_minor, currency';

// Hand-written SQL for events. Every method runs on the caller's executor: a use case that
// already holds a connection must not wait for a second one from the same pool, or a full
// pool deadlocks on itself.
export class EventsRepository {
  async list(sql: SqlExecutor): Promise<EventSummary[]> {
    const { rows } = await sql.query<EventRow>(
      `select ${COLUMNS} from events order by starts_at asc`,
    );
    return rows.map(toSummary);
  }

  async find(sql: SqlExecutor, id: string): Promise<EventSummary | undefined> {
    const { rows } = await sql.query<EventRow>(`select ${COLUMNS} from events where id = $1`, [id]);
    const row = rows[0];
    return row ? toSummary(row) : undefined;
  }
}

function toSummary(row: EventRow): EventSummary {
  return {
    id: row.id,
    venueId: row.venue_id,
    name: row.name,
    startsAt: new Date(row.starts_at).toISOString(),
    priceMinor: Number(row.price_minor),
    currency: row.currency,
  };
}
