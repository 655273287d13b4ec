import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

// Sleeps for injected latency and hung answers. Shutdown ends every pause at once, so a
// hung answer never holds the process open.
@Injectable()
export class Pauses implements BeforeApplicationShutdown {
  private readonly shutdown = new AbortController();

  pause(ms: number): Promise<void> {
    if (ms <= 0 || this.shutdown.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.shutdown.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }
}
