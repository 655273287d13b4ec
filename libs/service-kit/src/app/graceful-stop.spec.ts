import { Controller, Get, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Public } from '../auth/public.decorator';
import { HealthModule } from '../health/health.module';
import { createServiceApp } from './create-service-app';
import { stopOnSignals } from './graceful-stop';

const events: string[] = [];

@Public()
@Controller('work')
class WorkController {
  @Get('fast')
  fast(): { done: true } {
    return { done: true };
  }

  // A request still being served when the listener closes.
  @Get('slow')
  async slow(): Promise<{ done: true }> {
    await sleep(1_000);
    events.push('slow request answered');
    return { done: true };
  }
}

@Injectable()
class ShutdownProbe implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    events.push('shutdown hooks ran');
  }
}

@Module({
  imports: [HealthModule.forService('ticketing')],
  controllers: [WorkController],
  providers: [ShutdownProbe],
})
class DrainTestModule {}

// Jest gives each test file its own copy of `process`, on which a real signal's listener is
// never called, so the test emits the signal on a source of its own.
const SIGNAL: NodeJS.Signals = 'SIGTERM';
const signals = new EventEmitter();
const sendSignal = (): boolean => signals.emit(SIGNAL, SIGNAL);

describe('stopOnSignals: drain, then close', () => {
  let app: NestFastifyApplication;
  let base: string;
  let stopped: Promise<NodeJS.Signals>;
  let removeListeners: () => void;

  async function start(drainMs: number): Promise<void> {
    events.length = 0;
    app = await createServiceApp(DrainTestModule, { logLevel: 'fatal' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = await app.getUrl();
    stopped = new Promise((resolve) => {
      removeListeners = stopOnSignals(app, {
        drainMs,
        signals: [SIGNAL],
        signalSource: signals,
        onStopped: resolve,
      });
    });
  }

  afterEach(async () => {
    removeListeners();
    await app.close().catch(() => undefined);
  });

  it('reports not ready at once, keeps serving through the drain, answers the request in flight at close, then runs the hooks', async () => {
    await start(1_500);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    const signalledAt = Date.now();
    sendSignal();
    await sleep(50);

    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      checks: { 'accepting-traffic': 'down' },
    });
    // Still routed here until the balancer's next check: served, not refused, and the
    // connection ends with the answer, so the client's next request reconnects elsewhere.
    const duringDrain = await fetch(`${base}/work/fast`);
    expect(duringDrain.status).toBe(200);
    expect(duringDrain.headers.get('connection')).toBe('close');
    events.push('request during the drain answered');
    // Sent 1 s into the 1.5 s drain, it takes 1 s: still running when the listener closes.
    await sleep(Math.max(0, signalledAt + 1_000 - Date.now()));
    const inFlightAtClose = fetch(`${base}/work/slow`);

    expect(await stopped).toBe(SIGNAL);
    expect((await inFlightAtClose).status).toBe(200);
    expect(events).toEqual([
      'request during the drain answered',
      'slow request answered',
      'shutdown hooks ran',
    ]);
    // The stop removed its own signal listener, and the listener is closed.
    expect(signals.listenerCount(SIGNAL)).toBe(0);
    await expect(fetch(`${base}/work/fast`)).rejects.toThrow();
  });

  it('with no drain, the listener closes at once and the next request is refused', async () => {
    await start(0);
    sendSignal();
    await stopped;
    expect(events).toEqual(['shutdown hooks ran']);
    await expect(fetch(`${base}/work/fast`)).rejects.toThrow();
  });

  it('a second signal while stopping does not stop twice', async () => {
    await start(300);
    sendSignal();
    await sleep(50);
    sendSignal();
    await stopped;
    expect(events.filter((e) => e === 'shutdown hooks ran')).toHaveLength(1);
  });
});
