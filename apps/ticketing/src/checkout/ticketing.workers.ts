import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createIdempotentProducer,
  FencedHolds,
  LeasedOutboxRelay,
  pgListenWakeups,
  SagaRecoverer,
  startSagaParticipant,
  startSagaReplyConsumer,
  type IdempotentProducer,
  type PgListenWakeups,
  type SagaOrchestrator,
  type TransactionRunner,
} from '@suite/coordination';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { TicketingConfig } from '../config/ticketing.config';
import { SeatsRepository } from '../events/infra/seats.repository';
import { ExpireHoldsUseCase } from '../holds/expire-holds/expire-holds.use-case';
import { HoldsRepository } from '../holds/infra/holds.repository';
import { SeatLeases } from '../holds/infra/seat-leases';
import { outboxWriteOptions } from './infra/ticketing-events';
import { FENCED_HOLDS, ORCHESTRATOR, TICKETING_CONFIG, TRANSACTIONS } from '../ticketing.tokens';
import { ticketingStepHandlers } from './saga-steps/ticketing-steps.handlers';

// The service's background work, started after boot and stopped before shutdown:
// - the hold-expiry sweeper (HOLD_SWEEP_INTERVAL_MS > 0);
// - with SAGA_WORKERS=on: the outbox relay (one per shard, on a fenced lease, woken by the
//   commits that wrote its rows when OUTBOX_WAKEUPS=on), the saga reply consumer, the
//   participant for ticketing's own steps, and the saga recoverer.
@Injectable()
export class TicketingWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TicketingWorkers.name);
  private readonly owner = `ticketing-${randomUUID()}`;
  private readonly stop = new AbortController();
  private readonly running: Promise<void>[] = [];
  private readonly consumers: Consumer[] = [];
  private producer: IdempotentProducer | undefined;
  private relay: LeasedOutboxRelay | undefined;
  private wakeups: PgListenWakeups | undefined;
  private recoverer: SagaRecoverer | undefined;

  constructor(
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(FENCED_HOLDS) private readonly fencedHolds: FencedHolds,
    @Inject(ORCHESTRATOR) private readonly orchestrator: SagaOrchestrator,
    private readonly expireHolds: ExpireHoldsUseCase,
    private readonly holds: HoldsRepository,
    private readonly seats: SeatsRepository,
    private readonly leases: SeatLeases,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.HOLD_SWEEP_INTERVAL_MS > 0) this.running.push(this.sweep());
    if (this.config.SAGA_WORKERS === 'on') await this.startSagaWorkers();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    await this.recoverer?.stop();
    await this.relay?.stop();
    // After the relay stopped: it no longer waits on the LISTEN connection.
    await this.wakeups?.close();
    await Promise.allSettled(this.running);
    await this.producer?.disconnect();
  }

  private async startSagaWorkers(): Promise<void> {
    const config = this.config;
    const kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      logLevel: logLevel.ERROR,
    });
    await this.ensureTopics(kafka);
    this.producer = createIdempotentProducer(kafka);
    await this.producer.connect();
    const onError = (what: string) => (error: unknown) =>
      this.logger.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    const write = outboxWriteOptions(config);
    // Listened to by every instance, leading or not: a follower that takes the lease over
    // is woken from its first wait.
    if (write.wakeup) this.wakeups = await pgListenWakeups(config.DATABASE_URL, { shard: 0 });
    this.relay = new LeasedOutboxRelay(this.tx, this.producer, {
      holds: this.fencedHolds,
      shard: 0,
      owner: this.owner,
      ...(this.wakeups ? { wakeups: this.wakeups } : {}),
      timing: { idleDelayMs: config.OUTBOX_IDLE_DELAY_MS },
      onError: onError('outbox relay'),
    });
    this.relay.start();
    const onMalformed = (error: Error) => this.logger.warn(`skipped a message: ${error.message}`);
    const onRestart = (error: Error, inMs: number) =>
      this.logger.error(`Kafka consumer crashed (${error.message}); rejoining in ${inMs} ms`);
    this.consumers.push(
      await startSagaReplyConsumer({
        kafka,
        groupId: `${config.KAFKA_CLIENT_ID}-saga-replies`,
        topic: config.TICKETING_REPLIES_TOPIC,
        tx: this.tx,
        inboxConsumer: 'ticketing-saga-replies',
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        orchestrator: this.orchestrator,
        onMalformed,
        onRestart,
      }),
    );
    this.consumers.push(
      await startSagaParticipant({
        kafka,
        groupId: `${config.KAFKA_CLIENT_ID}-commands`,
        topic: config.TICKETING_COMMANDS_TOPIC,
        tx: this.tx,
        inboxConsumer: 'ticketing-commands',
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        // Replies wake the relay: the orchestrator's next step waits on each of them.
        outbox: write,
        handlers: ticketingStepHandlers({
          holds: this.holds,
          seats: this.seats,
          fencedHolds: this.fencedHolds,
          leases: this.leases,
          eventsTopic: config.TICKETING_EVENTS_TOPIC,
          outbox: write,
        }),
        onMalformed,
        onRestart,
      }),
    );
    this.recoverer = new SagaRecoverer(this.orchestrator, {
      holds: this.fencedHolds,
      name: 'ticketing-checkout',
      owner: this.owner,
      intervalMs: config.RECOVERER_INTERVAL_MS,
      onError: onError('saga recoverer'),
    });
    this.recoverer.start();
  }

  // Topics are created explicitly (the broker does not auto-create); existing ones stay.
  private async ensureTopics(kafka: Kafka): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = [
        this.config.TICKETING_EVENTS_TOPIC,
        this.config.TICKETING_COMMANDS_TOPIC,
        this.config.TICKETING_REPLIES_TOPIC,
        this.config.PAYMENTS_COMMANDS_TOPIC,
      ].filter((topic) => !existing.has(topic));
      if (wanted.length > 0) {
        await admin.createTopics({
          topics: [...new Set(wanted)].map((topic) => ({ topic, numPartitions: 3 })),
          waitForLeaders: true,
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  // Bounded: one round marks at most 100 holds, then waits the interval.
  private async sweep(): Promise<void> {
    const signal = this.stop.signal;
    while (!signal.aborted) {
      try {
        const expired = await this.expireHolds.execute(100);
        if (expired > 0) this.logger.log(`${expired} holds expired`);
      } catch (error) {
        this.logger.error(`hold sweep failed: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.config.HOLD_SWEEP_INTERVAL_MS);
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
