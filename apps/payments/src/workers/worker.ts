// One piece of the service's background work: started once the app is up, stopped before
// it shuts down.
export interface Worker {
  start(): Promise<void>;
  stop(): Promise<void>;
}

// Waits `ms`, or less when `signal` aborts first.
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
