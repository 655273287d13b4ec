import {
  HttpException,
  HttpStatus,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { retryAfterSeconds } from '@suite/contracts';
import type { AuthenticatedUser } from '@suite/coordination-nest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_ROUTE, routeDescriptor, type GatewayRoute } from '../routes/gateway-routes';
import { rateLimitHeaders } from './rate-limit-headers';
import { RateLimitService } from './rate-limit.service';

const API_KEY = /^[\x21-\x7e]{1,256}$/;

// Runs after authentication, so the caller is known, or known to be anonymous on a route
// that allows it (then it is counted by its address). Sets the RateLimit headers on every
// limited response, and on a denial answers 429 with Retry-After.
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<GatewayRoute | undefined>(GATEWAY_ROUTE, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const reply = http.getResponse<FastifyReply>();
    if (route === undefined || (request.user === undefined && route.auth === 'required')) {
      // A wiring mistake (no route metadata, or no JWT guard before this one).
      throw new Error('RateLimitGuard needs a proxied route with an authenticated user');
    }
    const apiKeyHeader = request.headers['x-api-key'];
    if (
      Array.isArray(apiKeyHeader) ||
      (apiKeyHeader !== undefined && !API_KEY.test(apiKeyHeader))
    ) {
      throw new HttpException(
        'x-api-key must be one header of 1-256 printable characters',
        HttpStatus.BAD_REQUEST,
      );
    }
    const outcome = await this.limits.check({
      route: routeDescriptor(route),
      ...(request.user !== undefined ? { userId: request.user.userId } : { clientIp: request.ip }),
      ...(apiKeyHeader !== undefined ? { apiKey: apiKeyHeader } : {}),
    });
    void reply.headers(rateLimitHeaders(outcome.checked));
    if (!outcome.allowed) {
      const { deniedBy } = outcome;
      const retryAfter = retryAfterSeconds(deniedBy.decision.retryAfterMs);
      void reply.header('retry-after', String(retryAfter));
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `rate limit "${deniedBy.name}" exceeded: ${deniedBy.decision.limit} requests per ${Math.round(deniedBy.windowMs / 1000)} s; retry after ${retryAfter} s`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }
}
