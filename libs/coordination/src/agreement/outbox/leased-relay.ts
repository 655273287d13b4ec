import type { MessageProducer } from '../../ports/message-producer';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { checkFenceShared } from '../../selection/fenced-write';
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
  // The relay of the term being led, if any.
  private live: OutboxRelay | undefined;
  private readonly totals: RelayStats = { batches: 0, published: 0, failures: 0, lastError: null };

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
      ...(options.onElected ? { onElected: options.onElected } : {}),
      ...(options.onDemoted ? { onDemoted: options.onDemoted } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    }).whileLeading((lease, signal) => this.lead(lease, signal));
  }

  start(): void {
    this.elector.start();
  }

  // Returns once the loop of the last term has finished: no batch of an old term is still
  // publishing.
  async stop(): Promise<void> {
    await this.elector.stop();
  }

  isLeading(): boolean {
    return this.elector.isLeader();
  }

  // Totals over every term this process led.
  stats(): RelayStats {
    const live = this.live?.stats();
    return live
      ? {
          batches: this.totals.batches + live.batches,
          published: this.totals.published + live.published,
          failures: this.totals.failures + live.failures,
          lastError: live.lastError ?? this.totals.lastError,
        }
      : { ...this.totals };
  }

  // One term: relay the shard with this term's token as the fence until demoted.
  private async lead(lease: Lease, signal: AbortSignal): Promise<void> {
    const { shard } = this.options;
    const relay = new OutboxRelay(this.tx, this.producer, {
      ...this.options,
      shard,
      // Shared once the term's token is stored, so pipelined batches do not queue on the
      // fence row; a newer leader's token still waits for them, then refuses them.
      fence: async (tx) => (await checkFenceShared(tx, fenceResource(shard), lease.token)).ok,
    });
    this.live = relay;
    try {
      await relay.run(signal, this.options.timing);
    } finally {
      this.live = undefined;
      const s = relay.stats();
      this.totals.batches += s.batches;
      this.totals.published += s.published;
      this.totals.failures += s.failures;
      this.totals.lastError = s.lastError ?? this.totals.lastError;
    }
  }
}
