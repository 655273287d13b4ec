import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { IdParams } from '../http/id.params';
import { EventsRepository, type EventSummary } from './infra/events.repository';
import { ListSeatsQuery } from './list-seats/list-seats.query';
import { ListSeatsUseCase, type SeatView } from './list-seats/list-seats.use-case';

@Controller('events')
export class EventsHttpController {
  constructor(
    private readonly events: EventsRepository,
    private readonly listSeats: ListSeatsUseCase,
  ) {}

  @Get()
  async list(): Promise<{ events: EventSummary[] }> {
    return { events: await this.events.list() };
  }

  @Get(':id/seats')
  async seats(
    @Param() params: IdParams,
    @Query() query: ListSeatsQuery,
  ): Promise<{ eventId: string; total: number; seats: SeatView[] }> {
    const result = await this.listSeats.execute(params.id, {
      ...(query.section !== undefined ? { section: query.section } : {}),
      limit: query.limit,
      offset: query.offset,
    });
    if (result.kind === 'event-not-found') {
      throw new NotFoundException(`event ${params.id} does not exist`);
    }
    return { eventId: result.eventId, total: result.total, seats: result.seats };
  }
}
