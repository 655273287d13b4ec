import type { SqlExecutor } from '@suite/coordination';
import type { DataSource } from 'typeorm';
import { EventRecord } from './event.records';

export interface EventSummary {
  id: string;
  venueId: string;
  name: string;
  startsAt: string;
  priceMinor: number;
  currency: string;
}

export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<EventSummary[]> {
    const records = await this.dataSource
      .getRepository(EventRecord)
      .find({ order: { startsAt: 'ASC' } });
    return records.map(toSummary);
  }

  // On the caller's transaction: a use case that already holds a connection must not wait
  // for a second one from the same pool, or a full pool deadlocks on itself.
  async findIn(sql: SqlExecutor, id: string): Promise<EventSummary | undefined> {
    const { rows } = await sql.query<{
      id: string;
      venue_id: string;
      name: string;
      starts_at: Date;
      price_minor: string;
      currency: string;
    }>('select id, venue_id, name, starts_at, price_minor, currency from events where id = $1', [
      id,
    ]);
    const row = rows[0];
    return row
      ? {
          id: row.id,
          venueId: row.venue_id,
          name: row.name,
          startsAt: new Date(row.starts_at).toISOString(),
          priceMinor: Number(row.price_minor),
          currency: row.currency,
        }
      : undefined;
  }

  async find(id: string): Promise<EventSummary | undefined> {
    const record = await this.dataSource.getRepository(EventRecord).findOneBy({ id });
    return record ? toSummary(record) : undefined;
  }
}

function toSummary(record: EventRecord): EventSummary {
  return {
    id: record.id,
    venueId: record.venueId,
    name: record.name,
    startsAt: record.startsAt.toISOString(),
    priceMinor: Number(record.priceMinor),
    currency: record.currency,
  };
}
