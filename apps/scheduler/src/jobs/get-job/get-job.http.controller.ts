import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/scheduler.answers';
import { JobResponse } from '../../http/scheduler.responses';
import { GetJobUseCase } from './get-job.use-case';

@ApiTags('jobs')
@Controller('jobs')
export class GetJobHttpController {
  constructor(private readonly getJob: GetJobUseCase) {}

  @ApiParam({ name: 'jobId', type: 'string', format: 'uuid' })
  @Get(':jobId')
  @ApiOkResponse({ type: JobResponse })
  @ApiErrors({ 404: 'No such job' })
  async get(
    @Param('jobId', new ParseUUIDPipe()) jobId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await send(reply, answerOf(HTTP_ANSWERS.getJob, await this.getJob.execute(jobId)));
  }
}
