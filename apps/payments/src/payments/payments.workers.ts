import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createIdempotentProducer,
  IdempotencyStore,
  OutboxRelay,
  pgListenWakeups,
  startSagaParticipant,
  type IdempotentProducer,
  type PgListenWakeups,
} from '@suite/coordination';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments.config';
import { TRANSACTIONS } from '../database/payments-database.module';
import type { TypeOrmTransactions } from '../database/typeorm-transactions';
import { CreatePaymentUseCase } from './create-payment/create-payment.use-case';
import { ReconcilePaymentsUseCase } from './reconcile-payments/reconcile-payments.use-case';
import { RefundPaymentUseCase } from './refund-payment/refund-payment.use-case';
import { paymentsCommandHandlers } from './saga-commands/payments-command.handlers';
import { SettleBeforeRefund } from './saga-commands/settle-before-refund';

export const PAYMENTS_INBOX_CONSUMER = 'payments-commands';

// The background work of the service, each part switchable in config:
// - the outbox relay, publishing payment events and saga replies, woken by the commits
//   that wrote them (OUTBOX_WAKEUPS) and otherwise polling every OUTBOX_IDLE_DELAY_MS;
// - the saga participant, consuming the checkout saga's commands through the inbox;
// - the reconciliation job, settling payments left unsettled, asking the PSP again about
//   payments failed while a charge request may still sit there (the late-charge sweep),
//   giving back late charges, and the key purge.
@Injectable()
export class PaymentsWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentsWorkers.name);
  private readonly stop = new AbortController();
  private readonly running: Promise<void>[] = [];
  private producer: IdempotentProducer | undefined;
  private consumer: Consumer | undefined;
  private wakeups: PgListenWakeups | undefined;
  private kafka: Kafka;

  constructor(
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @Inject(TRANSACTIONS) private readonly transactions: TypeOrmTransactions,
    private readonly capture: CreatePaymentUseCase,
    private readonly refund: RefundPaymentUseCase,
    private readonly reconcile: ReconcilePaymentsUseCase,
    private readonly settleBeforeRefund: SettleBeforeRefund,
    private readonly store: IdempotencyStore,
  ) {
    this.kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      logLevel: logLevel.ERROR,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.OUTBOX_RELAY === 'on') {
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
      this.running.push(
        relay.run(this.stop.signal, {
          idleDelayMs: this.config.OUTBOX_IDLE_DELAY_MS,
          errorDelayMs: 1_000,
        }),
      );
    }
    if (this.config.SAGA_PARTICIPANT === 'on') {
      this.consumer = await startSagaParticipant({
        kafka: this.kafka,
        groupId: this.config.KAFKA_CLIENT_ID,
        topic: this.config.PAYMENTS_COMMANDS_TOPIC,
        tx: this.transactions,
        inboxConsumer: PAYMENTS_INBOX_CONSUMER,
        sessionTimeout: this.config.KAFKA_SESSION_TIMEOUT_MS,
        // Replies wake the relay too: each saga step waits on one of them.
        outbox: { wakeup: this.config.OUTBOX_WAKEUPS === 'on' },
        handlers: paymentsCommandHandlers({
          capture: this.capture,
          refund: this.refund,
          settleBeforeRefund: this.settleBeforeRefund,
        }),
        onMalformed: (error) => this.logger.warn(`skipped a malformed command: ${error.message}`),
        onRestart: (error, inMs) =>
          this.logger.error(`Kafka consumer crashed (${error.message}); rejoining in ${inMs} ms`),
      });
    }
    if (this.config.RECONCILE_INTERVAL_MS > 0) this.running.push(this.reconcileLoop());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.consumer?.disconnect();
    await Promise.allSettled(this.running);
    // After the relay stopped: it no longer waits on the LISTEN connection.
    await this.wakeups?.close();
    await this.producer?.disconnect();
  }

  private async reconcileLoop(): Promise<void> {
    const signal = this.stop.signal;
    while (!signal.aborted) {
      await sleep(this.config.RECONCILE_INTERVAL_MS, signal);
      if (signal.aborted) return;
      try {
        const report = await this.reconcile.execute({
          olderThanMs: this.config.RECONCILE_AFTER_MS,
          limit: 100,
        });
        if (report.examined > 0 || report.lateChargesFound > 0 || report.lateChargesReturned > 0) {
          this.logger.log(`reconciled ${JSON.stringify(report)}`);
        }
        await this.store.purgeExpired(this.transactions.autocommit());
      } catch (error) {
        this.logger.error(`reconciliation failed: ${(error as Error).message}`);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
