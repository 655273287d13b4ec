import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '@suite/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS, refusedBy } from '../http/gateway.answers';
import { GATEWAY_ROUTE, routeDescriptor, type GatewayRoute } from '../proxy/domain/gateway-routes';
import { rateLimitHeaders } from './domain/rate-limit-headers';
import { RateLimitService } from './infra/rate-limit.service';
import { answerOf } from '@suite/service-kit';

// Runs after authentication and counts the verified caller against the per-user policies.
// A caller without a token (on a route that allows it) was already counted by its address,
// before authentication, by AnonymousRateLimit. Sets the RateLimit headers on every limited
// response, and on a denial answers 429 with Retry-After.
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
    if (request.user === undefined) return true;
    const outcome = await this.limits.check({
      route: routeDescriptor(route),
      userId: request.user.userId,
    });
    void reply.headers(rateLimitHeaders(outcome.checked));
    if (!outcome.allowed) {
      const answer = answerOf(HTTP_ANSWERS.refusal, {
        kind: 'rate-limited',
        deniedBy: outcome.deniedBy,
      });
      throw refusedBy(reply, answer);
    }
    return true;
  }
}
