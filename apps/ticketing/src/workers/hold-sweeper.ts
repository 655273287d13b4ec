import { Logger } from '@nestjs/common';
import type { ExpireHoldsUseCase } from '../holds/expire-holds/expire-holds.use-case';

// Marks the holds whose leases ran out as expired, on every instance. Bounded: one round
// marks at most 100 holds, then waits the interval.
export class HoldSweeper {
  private readonly logger = new Logger(HoldSweeper.name);
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly expireHolds: ExpireHoldsUseCase,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = this.sweep();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async sweep(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const expired = await this.expireHolds.execute(100);
        if (expired > 0) this.logger.log(`${expired} holds expired`);
      } catch (error) {
        this.logger.error(`hold sweep failed: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.intervalMs);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
