import { Controller, Inject, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { DESCRIPTOR_PARAM_PATTERN, RATE_LIMIT_DOMAIN_NAME } from '@suite/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../../config/gateway.config';
import { GATEWAY_CONFIG } from '../../gateway.tokens';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import {
  RateLimitDecisionResponse,
  RateLimitUsageResponse,
} from '../../http/rate-limits.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { ownDomainRefusal } from './own-domain';
import { RateLimitCheckRequest } from './rate-limits.request';
import { answerOf, send } from '@suite/service-kit';

const OWN_DOMAIN = {
  description:
    "The gateway's own rate-limit domain, which clients may not spend or inspect; or, from the rate limiter, a descriptor without the caller's own user and no ops:admin scope",
  type: ErrorResponse,
};

// The rate limiter's check and usage APIs for signed-in clients. Its /admin routes are not
// published. The rate limiter itself refuses (403) descriptors that are not the caller's
// own unless the token has ops:admin; the gateway's own domain is refused here as well, so
// no client spends or reads the limits the gateway enforces, not even its own.
@ApiTags('rate-limits')
@Controller()
export class RateLimitsHttpController {
  private readonly ownDomain: string;

  constructor(
    private readonly relay: ProxyRelay,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.ownDomain = config.RATE_LIMITS.domain;
  }

  // Listed above ProxyRoute, so that it replaces the route's plain 429: here the answer is
  // either the rate limiter's denial or the gateway's own limit.
  @ApiTooManyRequestsResponse({
    description: "Denied by the checked policies (the decision), or by the gateway's own limit",
    schema: {
      oneOf: [
        { $ref: getSchemaPath(RateLimitDecisionResponse) },
        { $ref: getSchemaPath(ErrorResponse) },
      ],
    },
  })
  @ProxyRoute(ROUTES.checkRateLimit)
  @ApiExtraModels(RateLimitDecisionResponse, ErrorResponse)
  @ApiBody({ type: RateLimitCheckRequest })
  @ApiOkResponse({ description: 'Admitted', type: RateLimitDecisionResponse })
  @ApiBadRequestResponse({ description: 'Malformed request or descriptors', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'A domain with no policies, or a cost no policy matched could ever admit',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse(OWN_DOMAIN)
  async check(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const refused = ownDomainRefusal(
      (request.body as { domain?: unknown } | null | undefined)?.domain,
      this.ownDomain,
    );
    if (refused !== undefined) return send(reply, answerOf(HTTP_ANSWERS.refusal, refused));
    const outcome = await this.relay.forward(ROUTES.checkRateLimit, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.rateLimitUsage)
  @ApiQuery({
    name: 'domain',
    required: true,
    schema: { type: 'string', pattern: RATE_LIMIT_DOMAIN_NAME.pattern.source },
  })
  @ApiQuery({
    name: 'descriptor',
    required: true,
    isArray: true,
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: { type: 'string', pattern: DESCRIPTOR_PARAM_PATTERN },
      example: ['user:42'],
    },
    description:
      'Repeatable: "user:42", "user:42,route:POST /holds" (or JSON, for values with a ",")',
  })
  @ApiOkResponse({ type: RateLimitUsageResponse })
  @ApiBadRequestResponse({ description: 'Malformed query or descriptor', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'A domain with no policies', type: ErrorResponse })
  @ApiForbiddenResponse(OWN_DOMAIN)
  async usage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const refused = ownDomainRefusal(
      (request.query as { domain?: unknown }).domain,
      this.ownDomain,
    );
    if (refused !== undefined) return send(reply, answerOf(HTTP_ANSWERS.refusal, refused));
    const outcome = await this.relay.forward(ROUTES.rateLimitUsage, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
