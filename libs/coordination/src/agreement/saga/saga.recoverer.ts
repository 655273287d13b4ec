import {
  LeaderElector,
  type DemotionReason,
  type Lease,
  type LeaderElectorOptions,
} from '../../selection/leader-elector';
import { runSagaRecoverer } from './saga.kafka';
import type { SagaOrchestrator } from './saga.orchestrator';

export interface SagaRecovererOptions {
  holds: LeaderElectorOptions['holds'];
  // Which orchestrator's instances; recoverers with the same name compete for one lease.
  name: string;
  owner: string;
  ttlMs?: number;
  intervalMs?: number;
  onElected?(lease: Lease): void;
  onDemoted?(reason: DemotionReason): void;
  onProcessed?(count: number): void;
  onError?(error: unknown): void;
}

// One recoverer per orchestrator, on a fenced lease: the leader applies every due timeout
// and retry (processDue) on a schedule, so after a restart every non-terminal instance is
// driven on by whichever process holds the lease. processDue locks what it claims, so a
// deposed leader still finishing a round cannot apply a wake-up twice.
export class SagaRecoverer {
  private readonly elector: LeaderElector;
  private current: { stop: AbortController; done: Promise<void> } | undefined;
  private halting: Promise<void> = Promise.resolve();

  constructor(
    private readonly orchestrator: SagaOrchestrator,
    private readonly options: SagaRecovererOptions,
  ) {
    this.elector = new LeaderElector({
      holds: options.holds,
      name: `saga-recoverer:${options.name}`,
      owner: options.owner,
      ttlMs: options.ttlMs ?? 10_000,
      onElected: (lease) => {
        const stop = new AbortController();
        const done = runSagaRecoverer(this.orchestrator, stop.signal, {
          ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
          ...(options.onProcessed ? { onProcessed: options.onProcessed } : {}),
          ...(options.onError ? { onError: options.onError } : {}),
        });
        this.current = { stop, done };
        options.onElected?.(lease);
      },
      onDemoted: (reason) => {
        void this.halt();
        options.onDemoted?.(reason);
      },
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    this.elector.start();
  }

  async stop(): Promise<void> {
    await this.elector.stop();
    await this.halt();
  }

  isLeading(): boolean {
    return this.elector.isLeader();
  }

  // Called by a demotion and by stop(), often both: the second call waits for the same
  // round to finish, so stop() never returns while a round of the old term still runs.
  private halt(): Promise<void> {
    const current = this.current;
    if (!current) return this.halting;
    this.current = undefined;
    current.stop.abort();
    this.halting = current.done;
    return this.halting;
  }
}
