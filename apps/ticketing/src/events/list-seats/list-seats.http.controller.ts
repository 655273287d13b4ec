import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { IdParams } from '../../http/id.params';
import { HTTP_ANSWERS } from '../../http/ticketing.answers';
import { SeatListResponse } from '../../http/ticketing.responses';
import { ListSeatsQuery } from './list-seats.query';
import { ListSeatsUseCase } from './list-seats.use-case';

@ApiTags('events')
@Controller('events')
export class ListSeatsHttpController {
  constructor(private readonly listSeats: ListSeatsUseCase) {}

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
