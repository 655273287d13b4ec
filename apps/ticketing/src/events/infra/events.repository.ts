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
