import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { routeDescriptorValue } from '@suite/contracts';
import { answerOf, JwtVerifier, send } from '@suite/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { HTTP_ANSWERS } from '../http/gateway.answers';
import { ClientAddress } from './domain/client-address';
import { rateLimitHeaders } from './domain/rate-limit-headers';
import { RateLimitService } from './infra/rate-limit.service';

const BEARER = /^Bearer ([^\s]+)$/i;
// Probes, and the development token endpoint that exists only on a loopback gateway.
const UNLIMITED_ROUTES = new Set(['/health', '/health/ready', '/dev/tokens']);
// The route descriptor of a request that matched no route (a 404).
const UNMATCHED = '(unmatched)';

// Counts every request that carries no valid token by the client's address, before any
// guard runs: anonymous reads of public routes, requests the JWT guard will refuse with
// 401, and 404s. The per-user limits only start once a caller is authenticated, so without
// this a flood of unauthenticated requests, or of guessed tokens, would be unlimited.
// A request with a valid token is left to RateLimitGuard (the token is verified twice: here
// and by the JWT guard; ES256 verification costs well under a millisecond).
@Injectable()
export class AnonymousRateLimit implements OnModuleInit {
  private readonly clientAddress: ClientAddress;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly verifier: JwtVerifier,
    private readonly limits: RateLimitService,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.clientAddress = new ClientAddress(config.TRUSTED_NETWORKS);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply) => this.limit(request, reply));
  }

  private async limit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const pattern = request.routeOptions.url;
    if (pattern !== undefined && UNLIMITED_ROUTES.has(pattern)) return;
    if (await this.carriesValidToken(request)) return;
    const outcome = await this.limits.check({
      route: routeDescriptorValue(request.method, pattern ?? UNMATCHED),
      clientIp: this.clientAddress.of(request.ip, request.headers['x-forwarded-for']),
    });
    void reply.headers(rateLimitHeaders(outcome.checked));
    if (!outcome.allowed) {
      const answer = answerOf(HTTP_ANSWERS.refusal, {
        kind: 'rate-limited',
        deniedBy: outcome.deniedBy,
      });
      await send(reply, answer);
    }
  }

  // The route's guard verifies the same token again; verifyFor does the work once.
  private async carriesValidToken(request: FastifyRequest): Promise<boolean> {
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header.trim())?.[1];
    return token !== undefined && (await this.verifier.verifyFor(request, token)).ok;
  }
}
