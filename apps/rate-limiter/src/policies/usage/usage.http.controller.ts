import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { answerOf, ApiErrors, type AuthenticatedUser, CurrentUser, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/rate-limiter.answers';
import { UsageResponse } from '../../http/rate-limiter.responses';
import { parseDescriptorParams, UsageQuery } from './usage.query';
import { UsageUseCase } from './usage.use-case';

// GET /usage?domain=api&descriptor=user:42&descriptor=route:POST%20/holds
// As for /check: a valid token, and only an operator reads descriptors not its own (403).
@ApiTags('usage')
@Controller('usage')
export class UsageHttpController {
  constructor(private readonly usage: UsageUseCase) {}

  @Get()
  @ApiOkResponse({ type: UsageResponse })
  @ApiErrors({
    400: 'Invalid query or a malformed descriptor',
    422: 'A domain with no policies',
    403: "Descriptors other than the caller's own need the ops:admin scope",
    503: 'Redis, where usage lives, cannot be read now',
  })
  async show(
    @Query() query: UsageQuery,
    @CurrentUser() caller: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const params = parseDescriptorParams(query.descriptor);
    const outcome =
      params.kind === 'invalid-descriptor'
        ? params
        : await this.usage.execute({
            caller,
            domain: query.domain,
            descriptors: params.descriptors,
          });
    await send(reply, answerOf(HTTP_ANSWERS.usage, outcome));
  }
}
