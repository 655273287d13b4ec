import { FakeClock, sleep } from './clock';
import { runClosed, runOpen, type Iteration } from './engine';

// A fake server on the fake clock behind one client connection: requests wait for the
// connection in order (on the client's side, before they are sent), then take `serviceMs`.
function oneConnectionServer(clock: FakeClock, serviceMs: (sentAtMs: number) => number) {
  let free = 0;
  const sentToAnswered: number[] = [];
  return {
    sentToAnswered,
    call: async () => {
      const sentAt = Math.max(clock.now(), free);
      const answeredAt = sentAt + serviceMs(sentAt);
      free = answeredAt;
      await clock.sleepUntil(answeredAt);
      // What a tool that starts its clock when the request goes out would record.
      sentToAnswered.push(clock.now() - sentAt);
      return { status: 200 };
    },
  };
}

const naiveP99 = (samples: number[]) =>
  [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.99) - 1] ?? 0;

describe('the load engine', () => {
  it('starts exactly the scheduled arrivals of a constant stage, at their times', async () => {
    const clock = new FakeClock();
    const startedAt: number[] = [];
    const iteration: Iteration = async (ctx) => {
      startedAt.push(clock.now());
      await ctx.request('noop', async () => ({ status: 200 }), [200]);
    };
    const result = await clock.run(
      runOpen({ model: 'open', maxInFlight: 10, stages: [{ rate: 50, durationS: 2 }] }, iteration, {
        clock,
      }),
    );
    expect(startedAt).toEqual(Array.from({ length: 100 }, (_, i) => i * 20));
    expect(result.recorder.perSecond().map((s) => s.scheduled)).toEqual([50, 50]);
    const [stage] = result.recorder.perStage(result.windows);
    expect(stage).toMatchObject({ requestedRate: 50, scheduled: 100, sent: 100, dropped: 0 });
    expect(stage?.achievedRate).toBe(50);
  });

  it('starts exactly the scheduled arrivals of a ramp, second by second', async () => {
    const clock = new FakeClock();
    const result = await clock.run(
      runOpen(
        {
          model: 'open',
          maxInFlight: 10,
          stages: [
            { rate: 10, durationS: 2 },
            { rateTo: 50, durationS: 4 },
          ],
        },
        async () => undefined,
        { clock },
      ),
    );
    // 10/s, then 10→50 over 4 s: 15, 25, 35, 45 (the area under the line in each second).
    expect(result.recorder.perSecond().map((s) => s.scheduled)).toEqual([10, 10, 15, 25, 35, 45]);
    expect(result.recorder.perSecond().map((s) => s.sent)).toEqual([10, 10, 15, 25, 35, 45]);
    expect(result.recorder.perStage(result.windows).map((s) => s.requestedRate)).toEqual([10, 30]);
  });

  it('counts latency from the scheduled time when a slow server queues requests; from the send time it under-reports', async () => {
    const clock = new FakeClock();
    // 5 ms a request, but 100 ms while the server is slow (the second second): it serves
    // 10/s there against 20/s arriving, so requests queue for the one connection.
    const server = oneConnectionServer(clock, (at) => (at >= 1000 && at < 2000 ? 100 : 5));
    const result = await clock.run(
      runOpen(
        { model: 'open', maxInFlight: 1000, stages: [{ rate: 20, durationS: 4 }] },
        async (ctx) => {
          await ctx.request('get', server.call, [200]);
        },
        { clock },
      ),
    );
    const [get] = result.recorder.perRequest();
    expect(get?.latency.count).toBe(80);
    // From the send time nothing looks slower than the server's 100 ms...
    expect(naiveP99(server.sentToAnswered)).toBeLessThanOrEqual(100);
    // ...while users waited for the queue: the request due at 1450 ms goes out at 1900 ms,
    // behind nine others of 100 ms each, and answers 550 ms after it was due.
    expect(get?.latency.p99).toBeGreaterThan(500);
    expect(get?.latency.p99).toBeGreaterThan(5 * naiveP99(server.sentToAnswered));
  });

  it('counts a stalled generator against the latency: overdue arrivals are sent at once, late', async () => {
    const clock = new FakeClock();
    const server = oneConnectionServer(clock, () => 10);
    let stalled = false;
    const result = await clock.run(
      runOpen(
        { model: 'open', maxInFlight: 1000, stages: [{ rate: 10, durationS: 3 }] },
        async (ctx) => {
          await ctx.request('get', server.call, [200]);
          // The generator's event loop blocks for a second after the sixth answer (at 510 ms):
          // the arrivals due from 600 to 1500 ms go out together at 1510 ms.
          if (ctx.iteration === 5 && !stalled) {
            stalled = true;
            clock.stall(1000);
          }
        },
        { clock },
      ),
    );
    const [get] = result.recorder.perRequest();
    expect(get?.latency.count).toBe(30);
    // From the send time: at most the ten of them queued on the connection, 10 ms each.
    expect(Math.max(...server.sentToAnswered)).toBeLessThanOrEqual(10 * 11);
    // From the scheduled time: the one due at 600 ms answered at 1520 ms.
    expect(get?.latency.maxMs).toBeGreaterThan(900);
    expect(result.recorder.sendLagStats().maxMs).toBeGreaterThan(800);
  });

  it('drops and counts arrivals beyond the in-flight bound instead of waiting', async () => {
    const clock = new FakeClock();
    const result = await clock.run(
      runOpen(
        { model: 'open', maxInFlight: 5, stages: [{ rate: 10, durationS: 2 }] },
        async (ctx) => {
          await ctx.request('hang', () => sleep(clock, 60_000).then(() => ({ status: 200 })), [
            200,
          ]);
        },
        { clock, gracefulStopMs: 1_000 },
      ),
    );
    const [stage] = result.recorder.perStage(result.windows);
    expect(stage).toMatchObject({ scheduled: 20, sent: 5, dropped: 15 });
    expect(stage?.achievedRate).toBe(2.5);
    expect(result.cutOff).toBe(5);
    expect(result.endMs - result.startMs).toBe(3_000);
  });

  it('counts errors by kind: unexpected statuses and timeouts', async () => {
    const clock = new FakeClock();
    const result = await clock.run(
      runOpen(
        { model: 'open', maxInFlight: 10, stages: [{ rate: 4, durationS: 1 }] },
        async (ctx) => {
          if (ctx.iteration === 3) {
            await ctx.request(
              'get',
              async () => {
                throw new DOMException('timed out', 'TimeoutError');
              },
              [200],
            );
          }
          await ctx.request('get', async () => ({ status: ctx.iteration === 0 ? 500 : 200 }), [
            200,
          ]);
          return 'done';
        },
        { clock },
      ),
    );
    const [get] = result.recorder.perRequest();
    expect(get?.errorsByKind).toEqual({ http_500: 1, timeout: 1 });
    expect(result.recorder.outcomes).toEqual({ done: 3 });
    expect(result.recorder.iterationErrors).toEqual({ timeout: 1 });
  });

  it('runs a closed model: each user loops with think time until the duration ends', async () => {
    const clock = new FakeClock();
    const perUser = new Map<number, number>();
    const result = await clock.run(
      runClosed(
        { model: 'closed', vus: 3, durationS: 1, thinkTimeMs: 100 },
        async (ctx) => {
          perUser.set(ctx.vu, (perUser.get(ctx.vu) ?? 0) + 1);
          await ctx.request('work', () => sleep(clock, 50).then(() => ({ status: 200 })), [200]);
        },
        { clock },
      ),
    );
    // Iterations start at 0, 150, ..., 900 ms: seven per user.
    expect([...perUser.values()]).toEqual([7, 7, 7]);
    expect(result.recorder.perRequest()[0]?.latency.maxMs).toBe(50);
  });

  it('stops a closed model at its iteration count', async () => {
    const clock = new FakeClock();
    const result = await clock.run(
      runClosed(
        { model: 'closed', vus: 4, durationS: 60, iterations: 10 },
        async (ctx) => {
          await ctx.request('work', () => sleep(clock, 10).then(() => ({ status: 200 })), [200]);
        },
        { clock },
      ),
    );
    expect(result.recorder.perRequest()[0]?.latency.count).toBe(10);
    expect(result.endMs - result.startMs).toBeLessThan(1_000);
  });
});
