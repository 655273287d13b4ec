import { Controller, ForbiddenException, Get, Query, Res } from '@nestjs/common';
import type { RateLimitDescriptor } from '@suite/contracts';
import { CurrentUser, type AuthenticatedUser } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { callersOwnDescriptors } from '../domain/callers-own-descriptors';
import { parseDescriptorParam, UsageQuery } from './usage.query';
import { UsageUseCase } from './usage.use-case';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@suite/service-kit';
import { UsageResponse } from '../../http/rate-limiter.responses';

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
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const descriptors: RateLimitDescriptor[] = [];
    for (const [i, raw] of query.descriptor.entries()) {
      const parsed = parseDescriptorParam(raw, i);
      if (!parsed.ok) {
        void reply.status(400);
        return { statusCode: 400, error: 'invalid_descriptor', message: parsed.message };
      }
      descriptors.push(parsed.descriptor);
    }
    const owned = callersOwnDescriptors(caller, descriptors, 'descriptor');
    if (!owned.ok) throw new ForbiddenException(owned.message);
    const outcome = await this.usage.execute(query.domain, descriptors);
    switch (outcome.kind) {
      // Well-formed, but not under the policies loaded now (as for /check).
      case 'unknown-domain':
        void reply.status(422);
        return {
          statusCode: 422,
          error: 'unknown_domain',
          message: `domain "${outcome.domain}" has no policies; loaded domains: ${outcome.known.join(', ') || '(none)'}`,
        };
      case 'redis-unavailable':
        void reply.status(503).header('retry-after', '1');
        return {
          statusCode: 503,
          error: 'redis_unavailable',
          message: `usage lives in Redis, which cannot be read now: ${outcome.reason}`,
        };
      case 'read':
        return { domain: outcome.domain, policiesHash: outcome.policiesHash, usage: outcome.usage };
    }
  }
}
