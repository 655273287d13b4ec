import {
  LeasedOutboxRelay,
  pgListenWakeups,
  type FencedHolds,
  type IdempotentProducer,
  type PgListenWakeups,
  type TransactionRunner,
} from '@suite/coordination';

export interface OutboxRelayOptions {
  databaseUrl: string;
  // Listen for the commits that wrote outbox rows (OUTBOX_WAKEUPS=on).
  wakeups: boolean;
  idleDelayMs: number;
  owner: string;
  onError: (error: unknown) => void;
}

// Publishes the outbox to Kafka: one relay for shard 0, run only by the instance that holds
// the shard's fenced lease.
export class OutboxRelay {
  private relay: LeasedOutboxRelay | undefined;
  private wakeups: PgListenWakeups | undefined;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly producer: IdempotentProducer,
    private readonly fencedHolds: FencedHolds,
    private readonly options: OutboxRelayOptions,
  ) {}

  async start(): Promise<void> {
    // Listened to by every instance, leading or not: a follower that takes the lease over
    // is woken from its first wait.
    if (this.options.wakeups) {
      this.wakeups = await pgListenWakeups(this.options.databaseUrl, { shard: 0 });
    }
    this.relay = new LeasedOutboxRelay(this.tx, this.producer, {
      holds: this.fencedHolds,
      shard: 0,
      owner: this.options.owner,
      ...(this.wakeups ? { wakeups: this.wakeups } : {}),
      timing: { idleDelayMs: this.options.idleDelayMs },
      onError: this.options.onError,
    });
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    // After the relay stopped: it no longer waits on the LISTEN connection.
    await this.wakeups?.close();
  }
}
