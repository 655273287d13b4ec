import {
  BadGatewayException,
  GatewayTimeoutException,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
} from '@nestjs/common';
import { retryAfterSeconds } from '@suite/contracts';
import { propagationHeaders, type AuthenticatedUser } from '@suite/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { upstreamPath, type GatewayRoute } from '../routes/gateway-routes';
import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';
import type { UpstreamRequest } from './http-upstream';
import { sanitizeUpstreamError } from './sanitize-upstream-error';
import {
  isUpstreamError,
  UpstreamCircuitOpenError,
  UpstreamTimeoutError,
  type UpstreamError,
} from './upstream.errors';
import { Upstreams } from './upstreams';

// The HTTP edge of proxying: turns the matched request into an upstream call, writes the
// upstream's answer back (5xx bodies sanitised), and maps a call that produced no answer
// to 502, 503 or 504 with a message that names the service but nothing inside it.
@Injectable()
export class ProxyRelay {
  private readonly logger = new Logger(ProxyRelay.name);

  constructor(private readonly upstreams: Upstreams) {}

  // The caller is whoever the JWT guard (or, on a public route, the optional bearer guard)
  // verified; undefined only on a public route called without a token.
  async forward(
    route: GatewayRoute,
    request: FastifyRequest & { user?: AuthenticatedUser },
    reply: FastifyReply,
  ): Promise<void> {
    const headers = upstreamRequestHeaders(request.headers, {
      identity: request.user,
      propagation: propagationHeaders(),
      clientIp: request.ip,
      host: request.headers.host,
      protocol: request.protocol,
    });
    const body = jsonBody(request);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const upstreamRequest: UpstreamRequest = {
      method: route.method,
      path: upstreamPath(route, request.params as Record<string, string>, request.url),
      headers,
      ...(body !== undefined ? { body } : {}),
    };
    let response;
    try {
      response = await this.upstreams.send(route.upstream, upstreamRequest);
    } catch (error) {
      throw this.toHttpException(error, reply);
    }
    const responseHeaders = clientResponseHeaders(response.headers);
    if (response.status >= 500) {
      const sanitized = sanitizeUpstreamError(
        route.upstream,
        response.status,
        response.body,
        firstValue(response.headers['content-type']),
      );
      delete responseHeaders['content-type'];
      await reply
        .status(response.status)
        .headers(responseHeaders)
        .type('application/json')
        .send(sanitized);
      return;
    }
    await reply.status(response.status).headers(responseHeaders).send(response.body);
  }

  private toHttpException(error: unknown, reply: FastifyReply): unknown {
    if (!isUpstreamError(error)) {
      return error;
    }
    this.logger.warn(`${error.code}: ${error.message}`);
    if (error instanceof UpstreamCircuitOpenError) {
      void reply.header('retry-after', String(retryAfterSeconds(error.retryAfterMs)));
    }
    return upstreamFailure(error);
  }
}

function upstreamFailure(error: UpstreamError): HttpException {
  if (error instanceof UpstreamTimeoutError) {
    return new GatewayTimeoutException(error.message);
  }
  if (error instanceof UpstreamCircuitOpenError) {
    return new HttpException(
      {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: `${error.message}; retry after ${retryAfterSeconds(error.retryAfterMs)} s`,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  // Unreachable or an oversized answer: the socket code stays in the log.
  return new BadGatewayException(`${error.upstream} could not be reached`);
}

// Fastify parsed the JSON body; it is sent on as JSON. Routes without a body send none.
// Re-serialising recurses once per level: the chassis' JSON parser refuses bodies nested
// deeper than DEFAULT_MAX_JSON_DEPTH, so no client body can overflow the stack here.
function jsonBody(request: FastifyRequest): Buffer | undefined {
  if (request.body === undefined || request.body === null) {
    return undefined;
  }
  return Buffer.from(JSON.stringify(request.body));
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
