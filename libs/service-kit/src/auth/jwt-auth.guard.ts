import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestWithUser } from './current-user.decorator';
import { JwtVerifier } from './jwt-verifier';
import { IS_PUBLIC_ROUTE } from './public.decorator';
import { REQUIRED_SCOPES } from './require-scopes.decorator';

const BEARER = /^Bearer ([^\s]+)$/i;

// Global guard: every HTTP route needs a valid bearer token unless it or its
// controller is @Public(). A rejection is a 401 naming what is wrong with the token; a
// valid token without a scope the route requires (@RequireScopes) is a 403 naming it.
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRule>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  // Synchronous for the routes that need no token (health, metrics), so they wait on no
  // promise; the rest verify the token asynchronously.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') {
      // Kafka handlers carry no bearer token; their messages are trusted by transport.
      return true;
    }
    const { isPublic, required } = this.ruleFor(context.getHandler(), context.getClass());
    if (isPublic) {
      if (required.length > 0) {
        // No caller to check the scopes of: a wiring mistake, so a 500, never an open door.
        throw new Error('@RequireScopes() used on a @Public() route');
      }
      return true;
    }
    return this.authenticate(context, required);
  }

  private async authenticate(context: ExecutionContext, required: string[]): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithUser>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw unauthorized(reply, 'missing bearer token', undefined);
    }
    const token = BEARER.exec(header.trim())?.[1];
    if (token === undefined) {
      throw unauthorized(reply, 'Authorization header must be "Bearer <token>"', 'invalid_request');
    }
    const outcome = await this.verifier.verifyFor(request, token);
    if (!outcome.ok) {
      throw unauthorized(reply, outcome.reason, 'invalid_token');
    }
    const missing = required.find((scope) => !outcome.user.scopes.includes(scope));
    if (missing !== undefined) {
      // RFC 6750 §3.1: insufficient_scope, with the scope that would have been enough.
      void reply.header(
        'www-authenticate',
        `Bearer error="insufficient_scope", scope="${required.join(' ')}"`,
      );
      throw new ForbiddenException(
        `this route requires the "${missing}" scope, which the token does not carry`,
      );
    }
    request.user = outcome.user;
    return true;
  }

  // Decorators are fixed once the app is built, so each route's rule is read once.
  private ruleFor(handler: object, controller: object): RouteRule {
    let byController = this.rules.get(handler);
    if (byController === undefined) {
      byController = new WeakMap();
      this.rules.set(handler, byController);
    }
    let rule = byController.get(controller);
    if (rule === undefined) {
      const targets = [handler, controller] as Array<() => void>;
      rule = {
        isPublic:
          this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_ROUTE, targets) === true,
        required:
          this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
      };
      byController.set(controller, rule);
    }
    return rule;
  }
}

interface RouteRule {
  isPublic: boolean;
  required: string[];
}

// RFC 6750: a 401 from a bearer-protected resource says so in WWW-Authenticate.
function unauthorized(
  reply: FastifyReply,
  message: string,
  error: 'invalid_request' | 'invalid_token' | undefined,
): UnauthorizedException {
  void reply.header(
    'www-authenticate',
    error === undefined
      ? 'Bearer'
      : `Bearer error="${error}", error_description="${message.replace(/"/g, "'")}"`,
  );
  return new UnauthorizedException(message);
}
