import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/scheduler.answers';
import { FireListResponse } from '../../http/scheduler.responses';
import { ListFiresQuery } from './list-fires.query';
import { ListFiresUseCase } from './list-fires.use-case';

@ApiTags('jobs')
@Controller('jobs')
export class ListFiresHttpController {
  constructor(private readonly listFires: ListFiresUseCase) {}

  @ApiParam({ name: 'jobId', type: 'string', format: 'uuid' })
  @Get(':jobId/fires')
  @ApiOkResponse({ type: FireListResponse })
  @ApiErrors({ 404: 'No such job' })
  async list(
    @Param('jobId', new ParseUUIDPipe()) jobId: string,
    @Query() query: ListFiresQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.listFires.execute(jobId, query.limit ?? 100);
    await send(reply, answerOf(HTTP_ANSWERS.listFires, outcome));
  }
}
