import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS, refusedBy } from '../http/gateway.answers';
import { GATEWAY_ROUTE, type GatewayRoute } from '../proxy/domain/gateway-routes';
import { checkIdempotencyKey } from './domain/idempotency-key';
import { answerOf } from '@suite/service-kit';

// On routes that move money, a request without a usable Idempotency-Key is refused here
// and never reaches the service. The key itself is forwarded unchanged; the service
// stores it and answers retries.
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const route = this.reflector.get<GatewayRoute | undefined>(GATEWAY_ROUTE, context.getHandler());
    if (route === undefined || !route.movesMoney) {
      return true;
    }
    const http = context.switchToHttp();
    const check = checkIdempotencyKey(http.getRequest<FastifyRequest>().headers['idempotency-key']);
    if (!check.ok) {
      const answer = answerOf(HTTP_ANSWERS.refusal, {
        kind: 'idempotency-key-refused',
        message: check.message,
      });
      throw refusedBy(http.getResponse<FastifyReply>(), answer);
    }
    return true;
  }
}
