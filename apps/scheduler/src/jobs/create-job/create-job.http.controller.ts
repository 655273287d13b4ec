import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/scheduler.answers';
import { JobResponse } from '../../http/scheduler.responses';
import { CreateJobRequest } from './create-job.request';
import { CreateJobUseCase } from './create-job.use-case';

@ApiTags('jobs')
@Controller('jobs')
export class CreateJobHttpController {
  constructor(private readonly createJob: CreateJobUseCase) {}

  @Post()
  @ApiCreatedResponse({
    type: JobResponse,
    // For the fuzz stage's stateful phase: the new job, its fires, its cancellation.
    links: {
      theJob: {
        operationId: 'GetJobHttpController_get',
        parameters: { jobId: '$response.body#/id' },
      },
      itsFires: {
        operationId: 'ListFiresHttpController_list',
        parameters: { jobId: '$response.body#/id' },
      },
      itsCancellation: {
        operationId: 'CancelJobHttpController_cancel',
        parameters: { jobId: '$response.body#/id' },
      },
    },
  })
  @ApiErrors({
    422: 'The schedule, target or payload does not make a job (the message says which)',
  })
  async create(@Body() body: CreateJobRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.createJob.execute(
      {
        runAt: body.runAt?.getTime(),
        cron: body.cron,
        callbackUrl: body.callbackUrl,
        topic: body.topic,
        payload: body.payload,
      },
      Date.now(),
    );
    await send(reply, answerOf(HTTP_ANSWERS.createJob, outcome));
  }
}
