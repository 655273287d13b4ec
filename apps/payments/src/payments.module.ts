import { Module, type DynamicModule } from '@nestjs/common';
import { IdempotencyStore, type TransactionRunner } from '@suite/coordination';
import { PostgresPersistenceModule } from '@suite/service-kit';
import {
  lateChargeSchedule,
  longestChargeCallMs,
  type PaymentsConfig,
} from './config/payments.config';
import { PAYMENTS_MIGRATIONS } from './database/migrations';
import { LedgerRepository } from './ledger/infra/ledger.repository';
import { CreatePaymentHttpController } from './payments/create-payment/create-payment.http.controller';
import { CreatePaymentUseCase } from './payments/create-payment/create-payment.use-case';
import type { PspGateway } from './payments/domain/psp.port';
import { GetPaymentHttpController } from './payments/get-payment/get-payment.http.controller';
import { GetPaymentUseCase } from './payments/get-payment/get-payment.use-case';
import { HttpPspGateway } from './payments/infra/http-psp.gateway';
import { LateChargeWatchesRepository } from './payments/infra/late-charge-watches.repository';
import { LateCharges } from './payments/infra/late-charges';
import { naivePspGateway } from './payments/infra/naive-psp.gateway';
import { PaymentEventsOutbox } from './payments/infra/payment-events.outbox';
import { PaymentSettlement } from './payments/infra/payment-settlement';
import { PaymentsRepository } from './payments/infra/payments.repository';
import { ReconcilePaymentsUseCase } from './payments/reconcile-payments/reconcile-payments.use-case';
import { RefundPaymentHttpController } from './payments/refund-payment/refund-payment.http.controller';
import { RefundPaymentUseCase } from './payments/refund-payment/refund-payment.use-case';
import { SettleBeforeRefund } from './payments/saga-commands/settle-before-refund';
import { PAYMENTS_CONFIG, PSP_GATEWAY, TRANSACTIONS } from './payments.tokens';
import { LateChargeSweep } from './workers/late-charge-sweep';
import { PaymentsWorkers } from './workers/payments.workers';

// Payments, their refunds and the ledger over the service's own Postgres database, the
// card processor behind PSP_GATEWAY, and the background work.
@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: PAYMENTS_MIGRATIONS,
          poolSize: 20,
          applicationName: 'payments',
        }),
      ],
      controllers: [
        CreatePaymentHttpController,
        RefundPaymentHttpController,
        GetPaymentHttpController,
      ],
      providers: [
        { provide: PAYMENTS_CONFIG, useValue: config },
        { provide: PSP_GATEWAY, useFactory: () => pspGateway(config) },
        {
          provide: IdempotencyStore,
          useValue: new IdempotencyStore({
            lockTimeoutMs: config.IDEMPOTENCY_LOCK_TIMEOUT_MS,
            retentionMs: config.IDEMPOTENCY_RETENTION_MS,
          }),
        },
        {
          provide: PaymentEventsOutbox,
          useValue: new PaymentEventsOutbox(config.PAYMENTS_EVENTS_TOPIC, {
            wakeup: config.OUTBOX_WAKEUPS === 'on',
          }),
        },
        PaymentsRepository,
        LedgerRepository,
        LateChargeWatchesRepository,
        {
          provide: PaymentSettlement,
          inject: [
            PaymentsRepository,
            LedgerRepository,
            PaymentEventsOutbox,
            LateChargeWatchesRepository,
          ],
          useFactory: (
            payments: PaymentsRepository,
            ledger: LedgerRepository,
            events: PaymentEventsOutbox,
            watches: LateChargeWatchesRepository,
          ) => new PaymentSettlement(payments, ledger, events, watches, lateChargeSchedule(config)),
        },
        {
          provide: LateChargeSweep,
          inject: [TRANSACTIONS, LateChargeWatchesRepository, PaymentSettlement, PSP_GATEWAY],
          useFactory: (
            transactions: TransactionRunner,
            watches: LateChargeWatchesRepository,
            settlement: PaymentSettlement,
            psp: PspGateway,
          ) =>
            new LateChargeSweep(transactions, watches, settlement, psp, lateChargeSchedule(config)),
        },
        {
          provide: SettleBeforeRefund,
          inject: [TRANSACTIONS, PaymentsRepository, PaymentSettlement, PSP_GATEWAY, LateCharges],
          useFactory: (
            transactions: TransactionRunner,
            payments: PaymentsRepository,
            settlement: PaymentSettlement,
            psp: PspGateway,
            lateCharges: LateCharges,
          ) =>
            new SettleBeforeRefund(
              transactions,
              payments,
              settlement,
              psp,
              lateCharges,
              longestChargeCallMs(config),
            ),
        },
        LateCharges,
        CreatePaymentUseCase,
        GetPaymentUseCase,
        RefundPaymentUseCase,
        ReconcilePaymentsUseCase,
        PaymentsWorkers,
      ],
    };
  }
}

// The card processor over HTTP: keyed retries, a timeout per attempt and a circuit
// breaker; PSP_CLIENT=naive retries under fresh keys instead (for the demo).
function pspGateway(config: PaymentsConfig): PspGateway {
  const options = {
    baseUrl: config.PSP_URL,
    timeoutMs: config.PSP_TIMEOUT_MS,
    maxAttempts: config.PSP_MAX_ATTEMPTS,
    backoffMs: config.PSP_RETRY_BACKOFF_MS,
    breaker: {
      errorThresholdPercentage: 50,
      volumeThreshold: 10,
      resetTimeoutMs: config.PSP_BREAKER_RESET_MS,
    },
  };
  return config.PSP_CLIENT === 'naive' ? naivePspGateway(options) : new HttpPspGateway(options);
}
