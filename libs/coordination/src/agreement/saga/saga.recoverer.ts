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

  constructor(
    private readonly orchestrator: SagaOrchestrator,
    private readonly options: SagaRecovererOptions,
  ) {
    this.elector = new LeaderElector({
      holds: options.holds,
      name: `saga-recoverer:${options.name}`,
      owner: options.owner,
      ttlMs: options.ttlMs ?? 10_000,
      ...(options.onElected ? { onElected: options.onElected } : {}),
      ...(options.onDemoted ? { onDemoted: options.onDemoted } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    }).whileLeading((_lease, signal) =>
      runSagaRecoverer(this.orchestrator, signal, {
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.onProcessed ? { onProcessed: options.onProcessed } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
      }),
    );
  }

  start(): void {
    this.elector.start();
  }

  // Returns once the round of the last term has finished.
  async stop(): Promise<void> {
    await this.elector.stop();
  }

  isLeading(): boolean {
    return this.elector.isLeader();
  }
}
