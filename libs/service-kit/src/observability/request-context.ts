import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

export interface RequestContextValue {
  // Echoed as x-request-id and bound to every log line of the request.
  requestId: string;
  // W3C trace id (32 hex): from the caller's traceparent, else started here.
  traceId: string;
  // W3C trace flags (2 hex), passed on unchanged.
  traceFlags: string;
}

// Headers as Node or a message broker hands them over.
export type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

const storage = new AsyncLocalStorage<RequestContextValue>();

// The request being served on the current async path. HTTP requests enter it in
// RequestContextMiddleware; a Kafka consumer can enter it from message headers with
// RequestContext.run(requestContextFromHeaders(headers), handler).
export class RequestContext {
  static run<T>(context: RequestContextValue, fn: () => T): T {
    return storage.run(context, fn);
  }

  static current(): RequestContextValue | undefined {
    return storage.getStore();
  }

  static requestId(): string | undefined {
    return storage.getStore()?.requestId;
  }
}

// Headers that an outgoing call adds so the next service logs the same request id
// and continues the same trace. Empty outside a request.
export function propagationHeaders(): Record<string, string> {
  const context = storage.getStore();
  if (context === undefined) {
    return {};
  }
  // Each hop is a new span of the same trace.
  const spanId = newSpanId();
  return {
    [REQUEST_ID_HEADER]: context.requestId,
    [TRACEPARENT_HEADER]: `00-${context.traceId}-${spanId}-${context.traceFlags}`,
  };
}

// 16 hex digits (64 random bits) cut from a v4 UUID, leaving out its version and variant
// digits. randomUUID draws from a cached pool of entropy; randomBytes(8) made one system
// call per proxied request (1.5% of the gateway's CPU on bids).
function newSpanId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(24, 28);
}

// Printable, bounded and free of separators, so a caller cannot inject log fields
// or response headers through its id; anything else is replaced.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

// version-traceid-parentid-flags; later versions may append fields after the flags.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

export interface ParsedTraceparent {
  traceId: string;
  parentId: string;
  traceFlags: string;
}

// Undefined for anything the W3C Trace Context spec says to ignore.
export function parseTraceparent(value: string | undefined): ParsedTraceparent | undefined {
  const match = TRACEPARENT.exec(value?.trim() ?? '');
  if (match === null) {
    return undefined;
  }
  const [, version, traceId, parentId, traceFlags, rest] = match;
  if (
    version === undefined ||
    traceId === undefined ||
    parentId === undefined ||
    traceFlags === undefined ||
    version === 'ff' ||
    (version === '00' && rest !== undefined) ||
    ALL_ZEROS.test(traceId) ||
    ALL_ZEROS.test(parentId)
  ) {
    return undefined;
  }
  return { traceId, parentId, traceFlags };
}

// x-request-id if the caller sent a usable one, else the trace id of its traceparent,
// else a new UUID. A trace is continued when the caller started one, else begun here.
export function requestContextFromHeaders(headers: HeaderBag): RequestContextValue {
  const offeredId = firstValue(headers[REQUEST_ID_HEADER])?.trim();
  const usableId =
    offeredId !== undefined && ACCEPTABLE_REQUEST_ID.test(offeredId) ? offeredId : undefined;
  const trace = parseTraceparent(firstValue(headers[TRACEPARENT_HEADER]));
  if (trace !== undefined) {
    return {
      requestId: usableId ?? trace.traceId,
      traceId: trace.traceId,
      traceFlags: trace.traceFlags,
    };
  }
  // One UUID names both the request and the new trace. randomUUID draws from a cached pool
  // of entropy; a randomBytes call per request cost more than the rest of this function.
  const fresh = randomUUID();
  return { requestId: usableId ?? fresh, traceId: fresh.replace(/-/g, ''), traceFlags: '00' };
}

// Resolved once per incoming request and shared by Fastify's request id, the context hook,
// the response hook and the log line, whichever asks first. Kept on the request object
// itself: a WeakMap entry per request made every garbage collection slower.
const CONTEXT = Symbol('suite.requestContext');

export function requestContextOf(request: { headers: HeaderBag }): RequestContextValue {
  const holder = request as { headers: HeaderBag; [CONTEXT]?: RequestContextValue };
  let context = holder[CONTEXT];
  if (context === undefined) {
    context = requestContextFromHeaders(request.headers);
    holder[CONTEXT] = context;
  }
  return context;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
