import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
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
// before any response byte; sending a safe request again on a new socket is sound.
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

// One upstream service over HTTP/1.1 with kept-alive connections. Responses are read in
// full (bounded) so a 5xx body can be inspected before anything reaches the client.
export class HttpUpstream {
  readonly name: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: HttpUpstreamOptions) {
    this.name = options.name;
    this.base = new URL(options.baseUrl);
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const AgentClass = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new AgentClass({ keepAlive: true, maxSockets: 256 });
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
    this.agent.destroy();
  }

  private attempt(request: UpstreamRequest): Promise<UpstreamResponse> {
    const transport = this.base.protocol === 'https:' ? https : http;
    const basePath = this.base.pathname.replace(/\/$/, '');
    return new Promise<UpstreamResponse>((resolve, reject) => {
      let settled = false;
      let responded = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const headers: OutgoingHttpHeaders = { ...request.headers, host: this.base.host };
      if (request.body !== undefined) headers['content-length'] = request.body.length;
      const outgoing = transport.request({
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        method: request.method,
        path: `${basePath}${request.path}`,
        headers,
        agent: this.agent,
      });
      const timer = setTimeout(() => {
        finish(() => reject(new UpstreamTimeoutError(this.name, this.timeoutMs)));
        outgoing.destroy();
      }, this.timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        finish(() => reject(new UpstreamUnreachableError(this.name, error.code, !responded)));
      });
      outgoing.on('response', (incoming) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes) {
            finish(() =>
              reject(new UpstreamResponseTooLargeError(this.name, this.maxResponseBytes)),
            );
            outgoing.destroy();
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', (error: NodeJS.ErrnoException) => {
          finish(() => reject(new UpstreamUnreachableError(this.name, error.code, false)));
        });
        incoming.on('end', () => {
          finish(() =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: incoming.headers,
              body: Buffer.concat(chunks),
            }),
          );
        });
      });
      outgoing.end(request.body);
    });
  }
}
