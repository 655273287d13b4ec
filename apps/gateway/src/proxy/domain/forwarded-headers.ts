import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { GATEWAY_HEADERS } from '@suite/contracts';

// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// Set here from what the gateway verified or decided; a client's own value is dropped.
const GATEWAY_OWNED_REQUEST_HEADERS = new Set([
  'host',
  'content-length',
  GATEWAY_HEADERS.userId,
  GATEWAY_HEADERS.userScopes,
  'x-request-id',
  'traceparent',
  'tracestate',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'forwarded',
  // Means nothing here (no API keys are issued or checked) and nothing to a service.
  'x-api-key',
  // The body is re-serialised JSON, so the client's encoding claims no longer hold.
  'content-encoding',
  // The gateway has read the whole body already: the expectation was the gateway's to meet.
  'expect',
]);

// Set by the gateway's own stack on the way out.
const GATEWAY_OWNED_RESPONSE_HEADERS = new Set([
  'content-length',
  'x-request-id',
  'date',
  'server',
  'x-powered-by',
  'ratelimit',
  'ratelimit-policy',
]);

export interface ForwardedIdentity {
  userId: string;
  scopes: readonly string[];
}

export interface ForwardingContext {
  // Absent on a public route called without a token: the service sees no identity.
  identity: ForwardedIdentity | undefined;
  // x-request-id and traceparent for the next hop (propagationHeaders()).
  propagation: Record<string, string>;
  clientIp: string;
  // The host and scheme the client used, for links the upstream builds.
  host: string | undefined;
  protocol: string;
}

// Headers for the upstream call: the client's end-to-end headers (Authorization and
// Idempotency-Key among them, unchanged) plus the identity the gateway verified.
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  context: ForwardingContext,
): OutgoingHttpHeaders {
  const dropped = connectionListed(incoming.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      dropped.has(name) ||
      GATEWAY_OWNED_REQUEST_HEADERS.has(name)
    ) {
      continue;
    }
    headers[name] = value;
  }
  if (context.identity !== undefined) {
    headers[GATEWAY_HEADERS.userId] = context.identity.userId;
    headers[GATEWAY_HEADERS.userScopes] = context.identity.scopes.join(' ');
  }
  headers['x-forwarded-for'] = appendForwardedFor(incoming['x-forwarded-for'], context.clientIp);
  headers['x-forwarded-proto'] = context.protocol;
  if (context.host !== undefined) headers['x-forwarded-host'] = context.host;
  return { ...headers, ...context.propagation };
}

// Headers of the upstream's response that the client gets.
export function clientResponseHeaders(
  upstream: IncomingHttpHeaders,
): Record<string, string | string[]> {
  const dropped = connectionListed(upstream.connection);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      dropped.has(name) ||
      GATEWAY_OWNED_RESPONSE_HEADERS.has(name)
    ) {
      continue;
    }
    headers[name] = value;
  }
  return headers;
}

const NOTHING_LISTED: ReadonlySet<string> = new Set();

// Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1). The usual values (none,
// or keep-alive, itself hop-by-hop) name nothing more: answered without parsing.
function connectionListed(connection: string | string[] | undefined): ReadonlySet<string> {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') {
    return NOTHING_LISTED;
  }
  const values = Array.isArray(connection)
    ? connection
    : connection === undefined
      ? []
      : [connection];
  return new Set(
    values
      .flatMap((value) => value.split(','))
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name.length > 0),
  );
}

function appendForwardedFor(existing: string | string[] | undefined, clientIp: string): string {
  const previous = Array.isArray(existing) ? existing.join(', ') : existing;
  return previous === undefined || previous.trim() === '' ? clientIp : `${previous}, ${clientIp}`;
}
