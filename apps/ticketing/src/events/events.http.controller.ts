import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IdParams } from '../http/id.params';
import { EventsRepository, type EventSummary } from './infra/events.repository';
import { ListSeatsQuery } from './list-seats/list-seats.query';
import { ListSeatsUseCase } from './list-seats/list-seats.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { answerOf, HTTP_ANSWERS, send } from '../http/ticketing.answers';
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.listSeats.execute(params.id, {
      ...(query.section !== undefined ? { section: query.section } : {}),
      limit: query.limit,
      offset: query.offset,
    });
    await send(reply, answerOf(HTTP_ANSWERS.listSeats, result));
  }
}
