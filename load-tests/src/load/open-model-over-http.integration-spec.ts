// The open model over real sockets and timers: a local HTTP server that stalls once for
// 600 ms behind a client with one connection. Requests queue for the connection while it
// stalls; counted from their scheduled time they show the stall, counted by the server (or
// from when they went out) only one of them does.
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realClock } from './clock';
import { runOpen } from './engine';

const STALL_MS = 600;

describe('the open model over HTTP', () => {
  let server: Server;
  let port = 0;
  const handledMs: number[] = [];
  let stalled = false;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const received = performance.now();
      // The first request after half a second waits STALL_MS: a GC pause, a lock.
      const delay = !stalled && handledMs.length >= 25 ? STALL_MS : 0;
      if (delay) stalled = true;
      setTimeout(() => {
        handledMs.push(performance.now() - received);
        res.end('ok');
      }, delay);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise((r) => server.close(r));
  });

  const get = () =>
    new Promise<{ status: number }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      });
      req.on('error', reject);
      req.end();
    });

  it('starts every arrival and counts the queue behind a stall from the scheduled time', async () => {
    const result = await runOpen(
      { model: 'open', maxInFlight: 1000, stages: [{ rate: 50, durationS: 2 }] },
      async (ctx) => {
        await ctx.request('get', get, [200]);
      },
      { clock: realClock, gracefulStopMs: 10_000 },
    );
    const [stage] = result.recorder.perStage(result.windows);
    expect(stage).toMatchObject({ scheduled: 100, sent: 100, dropped: 0 });
    expect(result.cutOff).toBe(0);
    const [get100] = result.recorder.perRequest();
    expect(get100?.latency.count).toBe(100);
    expect(get100?.errors).toBe(0);
    // One request stalled at the server; about thirty waited behind it for the connection.
    expect(handledMs.filter((ms) => ms >= STALL_MS - 50)).toHaveLength(1);
    const sorted = [...handledMs].sort((a, b) => a - b);
    const serverP95 = sorted[94] ?? 0;
    expect(get100?.latency.p95).toBeGreaterThan(STALL_MS / 3);
    expect(get100?.latency.p95).toBeGreaterThan(4 * serverP95);
  });
});
