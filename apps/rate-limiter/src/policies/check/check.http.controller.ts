import { Body, Controller, ForbiddenException, HttpCode, Post, Res } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { callersOwnDescriptors } from '../domain/callers-own-descriptors';
import { CheckRequest } from './check.request';
import { CheckUseCase } from './check.use-case';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { CheckDecisionResponse } from '../../http/rate-limiter.responses';

// 200 when admitted, 429 when denied, with the same body either way, so a caller can act
// on the status alone (an nginx auth_request, curl -f) or read the decision. A valid token
// is required, and only an operator may name descriptors other than the caller's own (403).
@ApiTags('check')
@Controller('check')
export class CheckHttpController {
  constructor(private readonly check: CheckUseCase) {}

  @Post()
  @HttpCode(200)
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
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const owned = callersOwnDescriptors(caller, body.descriptors, 'descriptors');
    if (!owned.ok) throw new ForbiddenException(owned.message);
    const outcome = await this.check.execute(body);
    switch (outcome.kind) {
      // Well-formed, but not under the policies loaded now: a 422, never a 400, which means
      // the request itself is malformed.
      case 'unknown-domain':
        void reply.status(422);
        return problem(
          'unknown_domain',
          `domain "${outcome.domain}" has no policies; loaded domains: ${outcome.known.join(', ') || '(none)'}`,
        );
      case 'cost-too-high':
        void reply.status(422);
        return problem(
          'cost_exceeds_limit',
          `cost ${outcome.cost} can never be admitted by policy ${outcome.policy}, whose capacity is ${outcome.capacity}`,
        );
      case 'decided': {
        const { decision } = outcome;
        for (const [name, value] of Object.entries(decision.headers))
          void reply.header(name, value);
        if (!decision.allowed) void reply.status(429);
        return decision;
      }
    }
  }
}

const problem = (error: string, message: string) => ({ statusCode: 422, error, message });
