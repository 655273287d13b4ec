import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createIdempotentProducer,
  type FencedHolds,
  type IdempotentProducer,
  type SagaOrchestrator,
} from '@suite/coordination';
import { stopInStages, type StoppableWorker } from '@suite/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { outboxWriteOptions } from '../checkout/infra/ticketing-events';
import type { TicketingConfig } from '../config/ticketing.config';
import { SAGA_DATABASE, type SagaDatabase } from '../database/saga-database';
import { SeatsRepository } from '../events/infra/seats.repository';
import { ExpireHoldsUseCase } from '../holds/expire-holds/expire-holds.use-case';
import { HoldsRepository } from '../holds/infra/holds.repository';
import { SeatLeases } from '../holds/infra/seat-leases';
import { FENCED_HOLDS, ORCHESTRATOR, TICKETING_CONFIG } from '../ticketing.tokens';
import { CheckoutStepsConsumer } from './checkout-steps-consumer';
import { HoldSweeper } from './hold-sweeper';
import { OutboxRelay } from './outbox-relay';
import { CheckoutRecoverer } from './checkout-recoverer';
import { SagaReplyConsumer } from './saga-reply-consumer';

interface Worker extends StoppableWorker {
  start(): void | Promise<void>;
}

// When a worker stops, all at once with the others of its stage: first everything that
// takes work in or writes outbox rows (the sweeper, the consumers, the recoverer), then the
// relay, which flushes the rows they wrote, then the producer it published with.
type StopStage = 'work' | 'relay' | 'producer';
const STOP_ORDER: readonly StopStage[] = ['work', 'relay', 'producer'];

// What a Kafka consumer of the service does with a message it cannot read, and when its
// consumer crashed and rejoins.
export interface ConsumerCallbacks {
  onMalformed: (error: Error) => void;
  onRestart: (error: Error, inMs: number) => void;
}

// The service's background work, started after boot one after another, and stopped before
// shutdown in the stages of STOP_ORDER:
// - the hold-expiry sweeper (HOLD_SWEEP_INTERVAL_MS > 0);
// - with SAGA_WORKERS=on: the outbox relay (on a fenced lease, woken by the commits that
//   wrote its rows when OUTBOX_WAKEUPS=on), the saga reply consumer, the participant for
//   ticketing's own steps, and the saga recoverer (on a fenced lease).
@Injectable()
export class TicketingWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TicketingWorkers.name);
  private readonly owner = `ticketing-${randomUUID()}`;
  private readonly started: Record<StopStage, Worker[]> = { work: [], relay: [], producer: [] };

  constructor(
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(SAGA_DATABASE) private readonly sagaDatabase: SagaDatabase,
    @Inject(FENCED_HOLDS) private readonly fencedHolds: FencedHolds,
    @Inject(ORCHESTRATOR) private readonly orchestrator: SagaOrchestrator,
    private readonly expireHolds: ExpireHoldsUseCase,
    private readonly holds: HoldsRepository,
    private readonly seats: SeatsRepository,
    private readonly leases: SeatLeases,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.HOLD_SWEEP_INTERVAL_MS > 0) {
      await this.begin(new HoldSweeper(this.expireHolds, this.config.HOLD_SWEEP_INTERVAL_MS));
    }
    if (this.config.SAGA_WORKERS === 'on') await this.startSagaWorkers();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const stages = STOP_ORDER.map((stage) => this.started[stage].splice(0));
    await stopInStages(stages, (error: unknown) => {
      this.logger.error(`a worker failed to stop: ${(error as Error).message}`);
    });
  }

  private async begin(worker: Worker, stage: StopStage = 'work'): Promise<void> {
    await worker.start();
    this.started[stage].push(worker);
  }

  private async startSagaWorkers(): Promise<void> {
    const config = this.config;
    const tx = this.sagaDatabase.transactions;
    const kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      logLevel: logLevel.ERROR,
    });
    await this.ensureTopics(kafka);
    const producer = createIdempotentProducer(kafka);
    await this.begin(producerWorker(producer), 'producer');
    const onError = (what: string) => (error: unknown) =>
      this.logger.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    const callbacks: ConsumerCallbacks = {
      onMalformed: (error) => this.logger.warn(`skipped a message: ${error.message}`),
      onRestart: (error, inMs) =>
        this.logger.error(`Kafka consumer crashed (${error.message}); rejoining in ${inMs} ms`),
    };
    const write = outboxWriteOptions(config);
    await this.begin(
      new OutboxRelay(tx, producer, this.fencedHolds, {
        databaseUrl: config.DATABASE_URL,
        wakeups: write.wakeup === true,
        idleDelayMs: config.OUTBOX_IDLE_DELAY_MS,
        owner: this.owner,
        onError: onError('outbox relay'),
      }),
      'relay',
    );
    await this.begin(
      new SagaReplyConsumer(kafka, tx, this.orchestrator, {
        ...callbacks,
        clientId: config.KAFKA_CLIENT_ID,
        topic: config.TICKETING_REPLIES_TOPIC,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        concurrency: config.SAGA_CONSUMER_CONCURRENCY,
        repliesPerTransaction: config.SAGA_REPLIES_PER_TRANSACTION,
      }),
    );
    await this.begin(
      new CheckoutStepsConsumer(
        kafka,
        tx,
        {
          holds: this.holds,
          seats: this.seats,
          fencedHolds: this.fencedHolds,
          leases: this.leases,
          eventsTopic: config.TICKETING_EVENTS_TOPIC,
        },
        {
          ...callbacks,
          clientId: config.KAFKA_CLIENT_ID,
          topic: config.TICKETING_COMMANDS_TOPIC,
          sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          concurrency: config.SAGA_CONSUMER_CONCURRENCY,
          outbox: write,
        },
      ),
    );
    await this.begin(
      new CheckoutRecoverer(this.orchestrator, this.fencedHolds, {
        owner: this.owner,
        intervalMs: config.RECOVERER_INTERVAL_MS,
        onError: onError('saga recoverer'),
      }),
    );
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
}

// The producer the relay publishes with: connected before the relay starts, disconnected
// after it stopped.
function producerWorker(producer: IdempotentProducer): Worker {
  return { start: () => producer.connect(), stop: () => producer.disconnect() };
}
