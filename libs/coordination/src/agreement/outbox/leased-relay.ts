import type { MessageProducer } from '../../ports/message-producer';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { checkFence } from '../../selection/fenced-write';
import {
  LeaderElector,
  type DemotionReason,
  type Lease,
  type LeaderElectorOptions,
} from '../../selection/leader-elector';
import { OutboxRelay, type OutboxRelayOptions, type RelayStats } from './outbox-relay';

export interface LeasedOutboxRelayOptions extends Omit<OutboxRelayOptions, 'fence' | 'shard'> {
  holds: LeaderElectorOptions['holds'];
  shard: number;
  // Unique per process instance.
  owner: string;
  ttlMs?: number;
  timing?: { idleDelayMs?: number; errorDelayMs?: number };
  onElected?(lease: Lease): void;
  onDemoted?(reason: DemotionReason): void;
  onError?(error: unknown): void;
}

export const relayLeaseName = (shard: number) => `outbox-relay:shard-${shard}`;
const fenceResource = (shard: number) => `outbox-relay/shard-${shard}`;

// One active relay per shard: every process runs a LeasedOutboxRelay for the shards it
// may publish; only the holder of the shard's fenced lease publishes. Each batch checks the
// lease's token against the shard's fence row inside the claim transaction, so a relay
// that lost its lease while paused cannot publish or mark anything once a newer leader has.
export class LeasedOutboxRelay {
  private readonly elector: LeaderElector;
  private current: { relay: OutboxRelay; stop: AbortController; done: Promise<void> } | undefined;
  private readonly totals: RelayStats = { batches: 0, published: 0, failures: 0, lastError: null };
  private halting: Promise<void> = Promise.resolve();

  constructor(
    private readonly tx: TransactionRunner,
    private readonly producer: MessageProducer,
    private readonly options: LeasedOutboxRelayOptions,
  ) {
    this.elector = new LeaderElector({
      holds: options.holds,
      name: relayLeaseName(options.shard),
      owner: options.owner,
      ttlMs: options.ttlMs ?? 10_000,
      onElected: (lease) => this.lead(lease),
      onDemoted: (reason) => {
        void this.follow();
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
    await this.follow();
  }

  isLeading(): boolean {
    return this.elector.isLeader();
  }

  // Totals over every term this process led.
  stats(): RelayStats {
    const live = this.current?.relay.stats();
    return live
      ? {
          batches: this.totals.batches + live.batches,
          published: this.totals.published + live.published,
          failures: this.totals.failures + live.failures,
          lastError: live.lastError ?? this.totals.lastError,
        }
      : { ...this.totals };
  }

  private lead(lease: Lease): void {
    const { shard } = this.options;
    const relay = new OutboxRelay(this.tx, this.producer, {
      ...this.options,
      shard,
      fence: async (tx) => (await checkFence(tx, fenceResource(shard), lease.token)).ok,
    });
    const stop = new AbortController();
    this.current = { relay, stop, done: relay.run(stop.signal, this.options.timing) };
    this.options.onElected?.(lease);
  }

  // Ends the current term's loop. Called by a demotion and by stop(), often both: the second
  // call must wait for the same loop to finish, or stop() could return while a batch of the
  // old term is still publishing.
  private follow(): Promise<void> {
    const current = this.current;
    if (!current) return this.halting;
    this.current = undefined;
    current.stop.abort();
    this.halting = current.done.then(() => {
      const s = current.relay.stats();
      this.totals.batches += s.batches;
      this.totals.published += s.published;
      this.totals.failures += s.failures;
      this.totals.lastError = s.lastError ?? this.totals.lastError;
    });
    return this.halting;
  }
}
