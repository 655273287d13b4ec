import { Controller, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { answerOf, send } from '@suite/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import { FireListResponse, JobResponse } from '../../http/scheduler.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { CreateJobRequest } from './scheduler.request';

const NO_JOB = { description: 'No such job', type: ErrorResponse };
const NOT_A_UUID = { description: 'The id is not a UUID', type: ErrorResponse };

// The scheduler's job routes. Every one needs a token, as the scheduler requires; jobs have
// no owner there, so any caller may read or cancel any job. Whether the fields make a job
// (422) is the scheduler's decision, relayed as it wrote it. Its loopback delivery sink
// (POST /sink/deliveries) is a test receiver, not public API: the gateway does not publish it.
@ApiTags('scheduler')
@Controller()
export class SchedulerHttpController {
  constructor(private readonly relay: ProxyRelay) {}

  @ProxyRoute(ROUTES.createJob)
  @ApiBody({ type: CreateJobRequest })
  @ApiCreatedResponse({
    type: JobResponse,
    // For the fuzz stage's stateful phase: the new job, its fires, its cancellation.
    links: {
      theJob: { operationId: ROUTES.getJob.id, parameters: { jobId: '$response.body#/id' } },
      itsFires: {
        operationId: ROUTES.listFires.id,
        parameters: { jobId: '$response.body#/id' },
      },
      itsCancellation: {
        operationId: ROUTES.cancelJob.id,
        parameters: { jobId: '$response.body#/id' },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'A field is missing or malformed', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'invalid_job (no schedule or two, no target or two, runAt in the past, a cron that never fires), callback_origin_not_allowed or topic_not_allowed',
    type: ErrorResponse,
  })
  async createJob(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.createJob, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getJob)
  @ApiOkResponse({ type: JobResponse })
  @ApiBadRequestResponse(NOT_A_UUID)
  @ApiNotFoundResponse(NO_JOB)
  async getJob(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getJob, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.listFires)
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    description: 'The most recent fires first; at most this many',
  })
  @ApiOkResponse({ type: FireListResponse })
  @ApiBadRequestResponse(NOT_A_UUID)
  @ApiNotFoundResponse(NO_JOB)
  async listFires(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.listFires, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.cancelJob)
  @ApiOkResponse({ type: JobResponse, description: 'Cancelled (also when it already was)' })
  @ApiBadRequestResponse(NOT_A_UUID)
  @ApiNotFoundResponse(NO_JOB)
  @ApiConflictResponse({
    description: 'job_finished: the job has already fired its last time',
    type: ErrorResponse,
  })
  async cancelJob(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.cancelJob, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
