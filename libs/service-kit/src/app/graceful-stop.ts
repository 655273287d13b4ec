import { Logger, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadinessRegistry } from '../health/readiness.registry';

export interface GracefulStopOptions {
  // How long the service keeps serving, reported not ready, before its listener closes.
  drainMs: number;
  signals?: readonly NodeJS.Signals[];
  // What happens once the app is closed; by default the signal is raised again with no
  // listener left, so the process ends as the signal asks.
  onStopped?: (signal: NodeJS.Signals) => void;
  // Where signals arrive; the process unless a test emits them itself.
  signalSource?: SignalSource;
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

// The stop a load balancer needs. Closing the listener at once (Nest's own shutdown hooks)
// refuses requests the balancer still routes here until its next check. Instead:
// 1. readiness answers 503 at once (check "accepting-traffic": down);
// 2. requests keep being served for drainMs, while the balancer notices;
// 3. app.close(): module hooks stop the workers (relays flush what they hold), the
//    listener closes once the requests in flight have answered, connections are released.
export async function drainThenClose(app: INestApplication, drainMs: number): Promise<void> {
  readinessOf(app)?.beginDraining();
  const server = app.getHttpServer() as Server | undefined;
  // Every answer from now on ends its connection, so a client (or balancer) that keeps
  // connections alive reconnects, and is routed to another instance.
  server?.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    response.shouldKeepAlive = false;
  });
  if (drainMs > 0) await sleep(drainMs);
  // Closing the listener drops only the connections idle at that moment; one whose request
  // was still running would stay open for the keep-alive timeout and hold the close.
  const sweep = setInterval(() => server?.closeIdleConnections?.(), IDLE_SWEEP_MS);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

const IDLE_SWEEP_MS = 100;

// Installs the stop above on SIGTERM and SIGINT. A second signal while stopping is
// ignored: the first stop is already bounded by drainMs and the hooks' own timeouts.
// Returns a function that removes the listeners (for tests).
export function stopOnSignals(app: INestApplication, options: GracefulStopOptions): () => void {
  const logger = new Logger('Shutdown');
  const signals = options.signals ?? DEFAULT_SIGNALS;
  const source = options.signalSource ?? process;
  let stopping = false;
  const remove = (): void => {
    for (const signal of signals) source.removeListener(signal, onSignal);
  };
  const onStopped =
    options.onStopped ?? ((signal: NodeJS.Signals) => process.kill(process.pid, signal));
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      logger.warn(`${signal} while already stopping; the stop in progress continues`);
      return;
    }
    stopping = true;
    logger.log(`${signal}: not ready now, draining for ${options.drainMs} ms, then closing`);
    drainThenClose(app, options.drainMs).then(
      () => {
        remove();
        onStopped(signal);
      },
      (error: unknown) => {
        logger.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        remove();
        process.exit(1);
      },
    );
  }
  for (const signal of signals) source.on(signal, onSignal);
  return remove;
}

function readinessOf(app: INestApplication): ReadinessRegistry | undefined {
  try {
    return app.get(ReadinessRegistry, { strict: false });
  } catch {
    return undefined; // an app without the health module has nothing to report
  }
}
