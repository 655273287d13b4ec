import {
  createIdempotentProducer,
  OutboxRelay,
  pgListenWakeups,
  type IdempotentProducer,
  type PgListenWakeups,
  type TransactionRunner,
} from '@suite/coordination';
import type { Kafka } from 'kafkajs';
import type { PaymentsConfig } from '../config/payments.config';
import type { Worker } from './worker';

// Publishes payment events and saga replies from the outbox, woken by the commits that
// wrote them (OUTBOX_WAKEUPS) and otherwise polling every OUTBOX_IDLE_DELAY_MS.
export class PaymentsOutboxRelay implements Worker {
  private readonly stopping = new AbortController();
  private producer: IdempotentProducer | undefined;
  private wakeups: PgListenWakeups | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: PaymentsConfig,
    private readonly transactions: TransactionRunner,
    private readonly kafka: Kafka,
  ) {}

  async start(): Promise<void> {
    // TODO: one relay per shard behind a fenced lease (LeasedOutboxRelay) once payments
    // has Redis for FencedHolds. Until then run one payments instance, or accept that two
    // relays may publish a row twice (consumers dedupe on the message-id header).
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    // Shard 0: payments writes with the default shard count of 1.
    if (this.config.OUTBOX_WAKEUPS === 'on') {
      this.wakeups = await pgListenWakeups(this.config.DATABASE_URL, { shard: 0 });
    }
    const relay = new OutboxRelay(this.transactions, this.producer, {
      batchSize: 100,
      ...(this.wakeups ? { wakeups: this.wakeups } : {}),
    });
    this.running = relay.run(this.stopping.signal, {
      idleDelayMs: this.config.OUTBOX_IDLE_DELAY_MS,
      errorDelayMs: 1_000,
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([this.running]);
    // After the relay stopped: it no longer waits on the LISTEN connection.
    await this.wakeups?.close();
    await this.producer?.disconnect();
  }
}
