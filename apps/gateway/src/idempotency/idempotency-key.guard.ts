import {
  BadRequestException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { GATEWAY_ROUTE, type GatewayRoute } from '../routes/gateway-routes';
import { checkIdempotencyKey } from './idempotency-key';

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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const check = checkIdempotencyKey(request.headers['idempotency-key']);
    if (!check.ok) {
      throw new BadRequestException(check.message);
    }
    return true;
  }
}
