import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  answerOf,
  ApiErrors,
  type AuthenticatedUser,
  CurrentUser,
  DebugAccessLog,
  send,
} from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/rate-limiter.answers';
import { CheckDecisionResponse } from '../../http/rate-limiter.responses';
import { CheckRequest } from './check.request';
import { CheckUseCase } from './check.use-case';

// 200 when admitted, 429 when denied, with the same body either way. A valid token is
// required, and only an operator may name descriptors other than the caller's own (403).
@ApiTags('check')
@Controller('check')
export class CheckHttpController {
  constructor(private readonly check: CheckUseCase) {}

  @Post()
  @HttpCode(200)
  // One decision per request the caller serves: the caller logs that request, and
  // rate_limit_decisions_total counts every decision, so a line each would only double the
  // log. A failure is still logged at error.
  @DebugAccessLog()
  @ApiOkResponse({ description: 'Admitted', type: CheckDecisionResponse })
  @ApiResponse({ status: 429, description: 'Denied', type: CheckDecisionResponse })
  @ApiErrors({
    400: 'Invalid request',
    422: 'A domain with no policies, or a cost no policy matched can ever admit',
    403: "Descriptors other than the caller's own need the ops:admin scope",
  })
  async decide(
    @Body() body: CheckRequest,
    @CurrentUser() caller: AuthenticatedUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.check.execute({
      caller,
      domain: body.domain,
      descriptors: body.descriptors,
      cost: body.cost,
    });
    await send(reply, answerOf(HTTP_ANSWERS.check, outcome));
  }
}
