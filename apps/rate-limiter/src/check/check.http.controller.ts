import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CheckRequest } from './check.request';
import { CheckUseCase } from './check.use-case';

// 200 when admitted, 429 when denied, with the same body either way, so a caller can act
// on the status alone (an nginx auth_request, curl -f) or read the decision.
@Controller('check')
export class CheckHttpController {
  constructor(private readonly check: CheckUseCase) {}

  @Post()
  @HttpCode(200)
  async decide(@Body() body: CheckRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.check.execute(body);
    switch (outcome.kind) {
      case 'unknown-domain':
        void reply.status(400);
        return problem(
          'unknown_domain',
          `domain "${outcome.domain}" has no policies; loaded domains: ${outcome.known.join(', ') || '(none)'}`,
        );
      case 'cost-too-high':
        void reply.status(400);
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

const problem = (error: string, message: string) => ({ statusCode: 400, error, message });
