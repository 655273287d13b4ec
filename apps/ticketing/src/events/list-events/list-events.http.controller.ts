import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventListResponse } from '../../http/ticketing.responses';
import type { EventSummary } from '../domain/event';
import { ListEventsUseCase } from './list-events.use-case';

@ApiTags('events')
@Controller('events')
export class ListEventsHttpController {
  constructor(private readonly listEvents: ListEventsUseCase) {}

  @Get()
  @ApiOkResponse({
    type: EventListResponse,
    // For the fuzz stage's stateful phase: a listed event's seats.
    links: {
      seatsOfFirstEvent: {
        operationId: 'ListSeatsHttpController_seats',
        parameters: { id: '$response.body#/events/0/id' },
      },
    },
  })
  async list(): Promise<{ events: EventSummary[] }> {
    return { events: await this.listEvents.execute() };
  }
}
