import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/scheduler.answers';
import { JobResponse } from '../../http/scheduler.responses';
import { CancelJobUseCase } from './cancel-job.use-case';

@ApiTags('jobs')
@Controller('jobs')
export class CancelJobHttpController {
  constructor(private readonly cancelJob: CancelJobUseCase) {}

  @ApiParam({ name: 'jobId', type: 'string', format: 'uuid' })
  @Post(':jobId/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: JobResponse, description: 'Cancelled (also when it already was)' })
  @ApiErrors({ 404: 'No such job', 409: 'The job has already fired its last time' })
  async cancel(
    @Param('jobId', new ParseUUIDPipe()) jobId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await send(reply, answerOf(HTTP_ANSWERS.cancelJob, await this.cancelJob.execute(jobId)));
  }
}
