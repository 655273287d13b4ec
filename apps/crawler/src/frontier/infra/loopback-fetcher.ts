import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { loopbackTarget } from '../domain/crawl-url';

// sentAtMs (performance.now()): when the request was handed to the kernel, the closest this
// process sees to its arrival at the host. The next request to the host is spaced from it.
export type FetchResult =
  | { kind: 'answered'; status: number; location?: string; body: string; sentAtMs: number }
  | { kind: 'refused'; reason: 'off-loopback' }
  // The caller's last check said no: nothing was written to the socket.
  | { kind: 'withheld' }
  | { kind: 'failed'; reason: string; sentAtMs: number };

// Asked once, synchronously, right before the request is written to its connected socket.
// false: the request is dropped unsent. No other code of the process runs between the answer
// and the write.
export type SendCheck = () => boolean;

// Any name the socket layer is asked to resolve: only 127.0.0.1 is ever an answer, so even
// a bug above that passed another host could not leave this machine.
export const loopbackOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const done = callback as (error: Error | null, address: string, family: number) => void;
  if (hostname === '127.0.0.1') {
    if (typeof options === 'object' && options !== null && 'all' in options && options.all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
      return;
    }
    done(null, '127.0.0.1', 4);
    return;
  }
  done(
    new Error(`refusing to resolve ${hostname}: the crawler fetches from 127.0.0.1 only`),
    '',
    4,
  );
};

export interface LoopbackFetcherOptions {
  webSimulatorPort: number;
  timeoutMs: number;
  maxBodyBytes: number;
  agent?: Agent;
}

// GET of one URL, never following a redirect (the Location is a new frontier entry, checked
// like any link). Connects to 127.0.0.1 only: see loopbackTarget and loopbackOnlyLookup.
export class LoopbackFetcher {
  constructor(private readonly options: LoopbackFetcherOptions) {}

  fetch(url: string, mayStillSend: SendCheck = () => true): Promise<FetchResult> {
    const target = loopbackTarget(url, this.options.webSimulatorPort);
    if (!target) return Promise.resolve({ kind: 'refused', reason: 'off-loopback' });
    return new Promise<FetchResult>((resolve) => {
      let sentAtMs = performance.now();
      const req = request(
        {
          host: target.address,
          port: target.port,
          path: target.path,
          method: 'GET',
          headers: { host: target.hostHeader, 'user-agent': 'suite-crawler/1' },
          lookup: loopbackOnlyLookup,
          timeout: this.options.timeoutMs,
          agent: this.options.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.options.maxBodyBytes) {
              req.destroy(new Error(`body over ${this.options.maxBodyBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const location = res.headers.location;
            resolve({
              kind: 'answered',
              status: res.statusCode ?? 0,
              ...(location ? { location } : {}),
              body: Buffer.concat(chunks).toString('utf8'),
              sentAtMs,
            });
          });
          res.on('error', (error) => resolve({ kind: 'failed', reason: error.message, sentAtMs }));
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)),
      );
      req.on('error', (error) => resolve({ kind: 'failed', reason: error.message, sentAtMs }));
      // 'finish': the whole request is with the kernel, which on loopback is its arrival but
      // for the host's own scheduling.
      req.on('finish', () => {
        sentAtMs = performance.now();
      });
      // Headers and body leave at end(), once the socket is connected (a new connection's
      // connect is asynchronous): the last check sits right before them.
      const go = () => {
        if (mayStillSend()) {
          req.end();
          return;
        }
        resolve({ kind: 'withheld' });
        req.destroy();
      };
      req.on('socket', (socket) => {
        if (socket.connecting) socket.once('connect', go);
        else go();
      });
    });
  }
}
