import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { answerOf, type AuthenticatedUser, JwtVerifier } from '@suite/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ANSWERS, refusedBy } from '../http/gateway.answers';

const BEARER = /^Bearer ([^\s]+)$/i;

// A token was sent and cannot be used: a 401 (http/gateway.answers.ts), the error code
// (RFC 6750) and the reason.
export interface BearerRefused {
  kind: 'bearer-refused';
  error: 'invalid_request' | 'invalid_token';
  message: string;
}

// For routes the owning service serves to anyone (the global JWT guard skips them): no
// token is fine, but a token that is sent must be valid, so a client never mistakes a bad
// token for being signed in. A valid one identifies the caller for rate limits and for the
// service (x-user-id), exactly as on a route that requires it.
@Injectable()
export class OptionalBearerGuard implements CanActivate {
  constructor(private readonly verifier: JwtVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') return true;
    const token = BEARER.exec(header.trim())?.[1];
    if (token === undefined) {
      throw unauthorized(
        http.getResponse<FastifyReply>(),
        'Authorization header must be "Bearer <token>"',
        'invalid_request',
      );
    }
    const outcome = await this.verifier.verifyFor(request, token);
    if (!outcome.ok) {
      throw unauthorized(http.getResponse<FastifyReply>(), outcome.reason, 'invalid_token');
    }
    request.user = outcome.user;
    return true;
  }
}

function unauthorized(reply: FastifyReply, message: string, error: BearerRefused['error']): Error {
  return refusedBy(
    reply,
    answerOf(HTTP_ANSWERS.refusal, { kind: 'bearer-refused', error, message }),
  );
}
