import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { IdParams } from '../http/id.params';
import { EventsRepository, type EventSummary } from './infra/events.repository';
import { ListSeatsQuery } from './list-seats/list-seats.query';
import { ListSeatsUseCase, type SeatView } from './list-seats/list-seats.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { EventListResponse, SeatListResponse } from '../http/ticketing.responses';

@ApiTags('events')
@Controller('events')
export class EventsHttpController {
  constructor(
    private readonly events: EventsRepository,
    private readonly listSeats: ListSeatsUseCase,
  ) {}

  @Get()
  @ApiOkResponse({
    type: EventListResponse,
    // For the fuzz stage's stateful phase: a listed event's seats.
    links: {
      seatsOfFirstEvent: {
        operationId: 'EventsHttpController_seats',
        parameters: { id: '$response.body#/events/0/id' },
      },
    },
  })
  async list(): Promise<{ events: EventSummary[] }> {
    return { events: await this.events.list() };
  }

  @Get(':id/seats')
  @ApiOkResponse({ type: SeatListResponse })
  @ApiErrors({ 404: 'No such event' })
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
