import { Injectable, Logger } from '@nestjs/common';
import { propagationHeaders, type AuthenticatedUser } from '@suite/service-kit';
import type { FastifyRequest } from 'fastify';
import { clientResponseHeaders, upstreamRequestHeaders } from './domain/forwarded-headers';
import { upstreamPath, type GatewayRoute } from './domain/gateway-routes';
import { sanitizeUpstreamError, type ErrorBody } from './domain/sanitize-upstream-error';
import type { UpstreamRequest, UpstreamResponse } from './infra/http-upstream';
import {
  isUpstreamError,
  UpstreamCircuitOpenError,
  UpstreamResponseTooLargeError,
  UpstreamTimeoutError,
  type UpstreamError,
} from './infra/upstream.errors';
import { Upstreams } from './infra/upstreams';

type ClientHeaders = Record<string, string | string[]>;

// What came of one proxied call: the upstream's answer, passed on (a 5xx with its body
// sanitised), or why there is none.
export type ProxyOutcome =
  | { kind: 'answered'; status: number; headers: ClientHeaders; body: Buffer }
  | { kind: 'upstream-error'; status: number; headers: ClientHeaders; error: ErrorBody }
  | { kind: 'timed-out'; upstream: string; timeoutMs: number }
  | { kind: 'circuit-open'; upstream: string; retryAfterMs: number }
  | { kind: 'unreachable'; upstream: string }
  | { kind: 'response-too-large'; upstream: string };

// Proxying: turns the matched request into an upstream call and says what came of it. A
// 5xx body is reduced to what names the service but nothing inside it.
@Injectable()
export class ProxyRelay {
  private readonly logger = new Logger(ProxyRelay.name);

  constructor(private readonly upstreams: Upstreams) {}

  // The caller is whoever the JWT guard (or, on a public route, the optional bearer guard)
  // verified; undefined only on a public route called without a token.
  async forward(
    route: GatewayRoute,
    request: FastifyRequest & { user?: AuthenticatedUser },
  ): Promise<ProxyOutcome> {
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
    let response: UpstreamResponse;
    try {
      response = await this.upstreams.send(route.upstream, upstreamRequest);
    } catch (error) {
      if (!isUpstreamError(error)) throw error;
      this.logger.warn(`${error.code}: ${error.message}`);
      return noAnswer(error);
    }
    const responseHeaders = clientResponseHeaders(response.headers);
    if (response.status >= 500) {
      const error = sanitizeUpstreamError(
        route.upstream,
        response.status,
        response.body,
        firstValue(response.headers['content-type']),
      );
      delete responseHeaders['content-type'];
      return { kind: 'upstream-error', status: response.status, headers: responseHeaders, error };
    }
    return {
      kind: 'answered',
      status: response.status,
      headers: responseHeaders,
      body: response.body,
    };
  }
}

function noAnswer(error: UpstreamError): ProxyOutcome {
  if (error instanceof UpstreamTimeoutError) {
    return { kind: 'timed-out', upstream: error.upstream, timeoutMs: error.timeoutMs };
  }
  if (error instanceof UpstreamCircuitOpenError) {
    return { kind: 'circuit-open', upstream: error.upstream, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof UpstreamResponseTooLargeError) {
    return { kind: 'response-too-large', upstream: error.upstream };
  }
  return { kind: 'unreachable', upstream: error.upstream };
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
