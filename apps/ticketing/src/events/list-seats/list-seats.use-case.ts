import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { SeatLeases } from '../../holds/infra/seat-leases';
import { AUTOCOMMIT } from '../../ticketing.tokens';
import { EventsRepository } from '../infra/events.repository';
import { SeatsRepository } from '../infra/seats.repository';

export type SeatAvailability = 'available' | 'held' | 'sold';

export interface SeatView {
  seatId: string;
  section: string;
  row: string;
  number: number;
  availability: SeatAvailability;
}

export type ListSeatsResult =
  | { kind: 'found'; eventId: string; total: number; seats: SeatView[] }
  | { kind: 'event-not-found'; eventId: string };

// Availability joins two stores: sold is in Postgres, held is a live lease in Redis (so a
// seat is free again the moment its hold's TTL runs out, with no cleanup).
@Injectable()
export class ListSeatsUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly events: EventsRepository,
    private readonly seats: SeatsRepository,
    private readonly leases: SeatLeases,
  ) {}

  async execute(
    eventId: string,
    filter: { section?: string; limit: number; offset: number },
  ): Promise<ListSeatsResult> {
    if (!(await this.events.find(this.sql, eventId))) return { kind: 'event-not-found', eventId };
    const page = await this.seats.page(this.sql, eventId, filter);
    const held = await this.leases.holders(
      eventId,
      page.seats.filter((s) => s.status === 'available').map((s) => s.seat_id),
    );
    return {
      kind: 'found',
      eventId,
      total: page.total,
      seats: page.seats.map((s) => ({
        seatId: s.seat_id,
        section: s.section,
        row: s.row_label,
        number: s.number,
        availability: s.status === 'sold' ? 'sold' : held.has(s.seat_id) ? 'held' : 'available',
      })),
    };
  }
}
