import { Controller, Get, Query, Res } from '@nestjs/common';
import type { RateLimitDescriptor } from '@suite/contracts';
import type { FastifyReply } from 'fastify';
import { parseDescriptorParam, UsageQuery } from './usage.request';
import { UsageUseCase } from './usage.use-case';

// GET /usage?domain=api&descriptor=user:42&descriptor=route:POST%20/holds
@Controller('usage')
export class UsageHttpController {
  constructor(private readonly usage: UsageUseCase) {}

  @Get()
  async show(@Query() query: UsageQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const descriptors: RateLimitDescriptor[] = [];
    for (const [i, raw] of query.descriptor.entries()) {
      const parsed = parseDescriptorParam(raw, i);
      if (!parsed.ok) {
        void reply.status(400);
        return { statusCode: 400, error: 'invalid_descriptor', message: parsed.message };
      }
      descriptors.push(parsed.descriptor);
    }
    const outcome = await this.usage.execute(query.domain, descriptors);
    switch (outcome.kind) {
      case 'unknown-domain':
        void reply.status(400);
        return {
          statusCode: 400,
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
