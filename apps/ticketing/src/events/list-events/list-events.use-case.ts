import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../ticketing.tokens';
import type { EventSummary } from '../domain/event';
import { EventsRepository } from '../infra/events.repository';

// Every event on sale, soonest first.
@Injectable()
export class ListEventsUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly events: EventsRepository,
  ) {}

  execute(): Promise<EventSummary[]> {
    return this.events.list(this.sql);
  }
}
