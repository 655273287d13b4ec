import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import {
  UpstreamResponseTooLargeError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from './upstream.errors';

export interface UpstreamRequest {
  method: string;
  // Path and query string, e.g. /events/42/seats?available=true.
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpUpstreamOptions {
  name: string;
  baseUrl: string;
  // The whole exchange: connect, send, and read the full response.
  timeoutMs: number;
  maxResponseBytes?: number;
}

// Only these may be sent twice: they change nothing on the upstream.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// A kept-alive socket the upstream closed while idle fails the next request with these
// before any response byte (undici says UND_ERR_SOCKET, "other side closed"); sending a
// safe request again on a new socket is sound.
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const TOO_LARGE_CODE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const MAX_CONNECTIONS = 256;

// One upstream service over HTTP/1.1 with kept-alive connections (an undici Pool). Responses
// are read in full (bounded) so a 5xx body can be inspected before anything reaches the
// client.
export class HttpUpstream {
  readonly name: string;
  private readonly basePath: string;
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: HttpUpstreamOptions) {
    this.name = options.name;
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.pool = new Pool(base.origin, {
      connections: MAX_CONNECTIONS,
      // undici refuses a larger body as it arrives, counting the bytes itself.
      maxResponseSize: this.maxResponseBytes,
    });
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.attempt(request);
    } catch (error) {
      // Unsafe methods are never sent twice: the first attempt may have been processed.
      if (
        SAFE_METHODS.has(request.method) &&
        error instanceof UpstreamUnreachableError &&
        error.beforeResponse &&
        error.socketCode !== undefined &&
        STALE_SOCKET_CODES.has(error.socketCode)
      ) {
        return this.attempt(request);
      }
      throw error;
    }
  }

  close(): void {
    void this.pool.destroy().catch(() => undefined);
  }

  // The whole exchange (connect, send, read the full response) runs under one timer; when
  // it fires the request is aborted and its connection closed.
  private async attempt(request: UpstreamRequest): Promise<UpstreamResponse> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let responded = false;
    try {
      const response = await this.pool.request({
        method: request.method as 'GET',
        path: `${this.basePath}${request.path}`,
        headers: stringHeaders(request.headers),
        body: request.body ?? null,
        signal: abort.signal,
      });
      responded = true;
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (abort.signal.aborted) throw new UpstreamTimeoutError(this.name, this.timeoutMs);
      const code = (error as { code?: unknown } | null)?.code;
      if (code === TOO_LARGE_CODE) {
        throw new UpstreamResponseTooLargeError(this.name, this.maxResponseBytes);
      }
      throw new UpstreamUnreachableError(
        this.name,
        typeof code === 'string' ? code : undefined,
        !responded,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

// undici takes string values only; Node's outgoing headers may hold numbers.
function stringHeaders(headers: OutgoingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = typeof value === 'number' ? String(value) : value;
  }
  return out;
}
