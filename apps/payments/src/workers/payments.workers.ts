import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { IdempotencyStore, type SqlExecutor, type TransactionRunner } from '@suite/coordination';
import { Kafka, logLevel } from 'kafkajs';
import type { PaymentsConfig } from '../config/payments.config';
import { CreatePaymentUseCase } from '../payments/create-payment/create-payment.use-case';
import { ReconcilePaymentsUseCase } from '../payments/reconcile-payments/reconcile-payments.use-case';
import { RefundPaymentUseCase } from '../payments/refund-payment/refund-payment.use-case';
import { SettleBeforeRefund } from '../payments/saga-commands/settle-before-refund';
import { AUTOCOMMIT, PAYMENTS_CONFIG, TRANSACTIONS } from '../payments.tokens';
import { PaymentsOutboxRelay } from './outbox-relay';
import { PaymentsReconciler } from './reconciler';
import { PaymentsSagaParticipant } from './saga-participant';
import type { Worker } from './worker';

// The background work of the service, each part switchable in config: the outbox relay
// (OUTBOX_RELAY), the saga participant (SAGA_PARTICIPANT) and the reconciliation job
// (RECONCILE_INTERVAL_MS > 0). Started in that order once the app is up, stopped in the
// reverse order before it shuts down.
@Injectable()
export class PaymentsWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: Worker[] = [];
  private readonly started: Worker[] = [];

  constructor(
    @Inject(PAYMENTS_CONFIG) config: PaymentsConfig,
    @Inject(TRANSACTIONS) transactions: TransactionRunner,
    @Inject(AUTOCOMMIT) autocommit: SqlExecutor,
    capture: CreatePaymentUseCase,
    refund: RefundPaymentUseCase,
    reconcile: ReconcilePaymentsUseCase,
    settleBeforeRefund: SettleBeforeRefund,
    store: IdempotencyStore,
  ) {
    const kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      logLevel: logLevel.ERROR,
    });
    if (config.OUTBOX_RELAY === 'on') {
      this.workers.push(new PaymentsOutboxRelay(config, transactions, kafka));
    }
    if (config.SAGA_PARTICIPANT === 'on') {
      this.workers.push(
        new PaymentsSagaParticipant(config, transactions, kafka, {
          capture,
          refund,
          settleBeforeRefund,
        }),
      );
    }
    if (config.RECONCILE_INTERVAL_MS > 0) {
      this.workers.push(new PaymentsReconciler(config, reconcile, store, autocommit));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const worker of this.workers) {
      await worker.start();
      this.started.push(worker);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const worker of this.started.reverse()) await worker.stop();
  }
}
