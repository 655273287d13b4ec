import { applyDecorators, Delete, Get, Post, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@suite/service-kit';
import { OptionalBearerGuard } from '../auth/optional-bearer.guard';
import { ErrorResponse } from '../http/gateway.responses';
import { IdempotencyKeyGuard } from '../idempotency/idempotency-key.guard';
import { RateLimitGuard } from '../limits/rate-limit.guard';
import { GATEWAY_ROUTE, pathParamNames, type GatewayRoute } from './domain/gateway-routes';

const RATE_LIMIT_HEADERS = {
  RateLimit: {
    description:
      'What is left of each policy checked: "<policy>";r=<remaining>;t=<seconds to reset>',
    schema: { type: 'string', example: '"user";r=117;t=60' },
  },
  'RateLimit-Policy': {
    description: 'Each policy checked: "<policy>";q=<quota>;w=<window in seconds>',
    schema: { type: 'string', example: '"user";q=120;w=60' },
  },
};

// One proxied route: its HTTP method and path, the guards that run after the JWT check
// (the Idempotency-Key on money routes, then rate limits: a request refused for its shape
// spends no quota and is answered 400, never 429) and its OpenAPI description.
// A route with optional auth skips the global JWT guard and verifies a token only if one
// was sent.
export function ProxyRoute(route: GatewayRoute): MethodDecorator {
  const method = { GET: Get, POST: Post, DELETE: Delete }[route.method];
  const optional = route.auth === 'optional';
  const decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator> = [
    SetMetadata(GATEWAY_ROUTE, route),
    method(route.path.slice(1)),
    ...(optional
      ? [Public(), UseGuards(OptionalBearerGuard, IdempotencyKeyGuard, RateLimitGuard)]
      : [UseGuards(IdempotencyKeyGuard, RateLimitGuard)]),
    ApiOperation({ operationId: route.id, summary: route.summary }),
    ApiBearerAuth('bearer'),
    // OpenAPI: an empty requirement means "or no credentials at all".
    ...(optional ? [ApiSecurity({})] : []),
    ApiHeader({
      name: 'x-request-id',
      required: false,
      description: 'Correlates logs across services; generated when absent, always echoed',
    }),
    ApiUnauthorizedResponse({
      description: optional
        ? 'A bearer token was sent and is invalid (none is needed)'
        : 'Missing or invalid bearer token',
      type: ErrorResponse,
    }),
    ApiTooManyRequestsResponse({
      description: 'A rate limit is spent',
      type: ErrorResponse,
      headers: {
        ...RATE_LIMIT_HEADERS,
        'Retry-After': {
          description: 'Seconds until a retry can be admitted',
          schema: { type: 'integer' },
        },
      },
    }),
    ApiGatewayTimeoutResponse({
      description: 'The owning service did not answer in time',
      type: ErrorResponse,
    }),
    ApiServiceUnavailableResponse({
      description: "The owning service's circuit is open, or it is unavailable",
      type: ErrorResponse,
      headers: {
        'Retry-After': {
          description: 'Seconds until a retry makes sense',
          schema: { type: 'integer' },
        },
      },
    }),
    ApiResponse({
      status: 502,
      description: 'The owning service could not be reached',
      type: ErrorResponse,
    }),
    // Every id in a public path is a UUID; the owning service refuses anything else.
    ...pathParamNames(route).map((name) =>
      ApiParam({ name, type: String, format: 'uuid', required: true }),
    ),
  ];
  if (route.movesMoney) {
    decorators.push(
      ApiHeader({
        name: 'Idempotency-Key',
        required: true,
        description:
          'Unique per operation (e.g. a UUID), reused on every retry of it; 8-255 of A-Z a-z 0-9 . _ : ~ + / = -',
        schema: { type: 'string', minLength: 8, maxLength: 255, pattern: '^[A-Za-z0-9._:~+/=-]+$' },
      }),
      ApiBadRequestResponse({
        description: 'Invalid body, or Idempotency-Key missing or malformed',
        type: ErrorResponse,
      }),
    );
  }
  return applyDecorators(...decorators);
}
