import { Injectable } from '@nestjs/common';
import { EventsRepository, type EventSummary } from '../infra/events.repository';

// Every event on sale, soonest first.
@Injectable()
export class ListEventsUseCase {
  constructor(private readonly events: EventsRepository) {}

  execute(): Promise<EventSummary[]> {
    return this.events.list();
  }
}
