import { IdempotencyStore } from '@suite/coordination';
import {
  lateChargeSchedule,
  longestChargeCallMs,
  PAYMENTS_CONFIG,
  type PaymentsConfig,
} from '../config/payments.config';
import { TRANSACTIONS } from '../database/payments-database.module';
import type { TypeOrmTransactions } from '../database/typeorm-transactions';
import { LedgerRepository } from '../ledger/infra/ledger.repository';
import { CreatePaymentUseCase } from './create-payment/create-payment.use-case';
import { PSP_GATEWAY, type PspGateway } from './domain/psp.port';
import { GetPaymentUseCase } from './get-payment/get-payment.use-case';
import { HttpPspGateway } from './infra/http-psp.gateway';
import { naivePspGateway } from './infra/naive-psp.gateway';
import { LateChargeWatchesRepository } from './infra/late-charge-watches.repository';
import { LateCharges } from './infra/late-charges';
import { PaymentEventsOutbox } from './infra/payment-events.outbox';
import { PaymentSettlement } from './infra/payment-settlement';
import { PaymentsRepository } from './infra/payments.repository';
import { LateChargeSweep } from './reconcile-payments/late-charge-sweep';
import { ReconcilePaymentsUseCase } from './reconcile-payments/reconcile-payments.use-case';
import { RefundPaymentUseCase } from './refund-payment/refund-payment.use-case';
import { SettleBeforeRefund } from './saga-commands/settle-before-refund';

// The use cases are plain classes (no Nest in them), wired here.
export const paymentsProviders = [
  PaymentsRepository,
  LedgerRepository,
  LateChargeWatchesRepository,
  {
    provide: IdempotencyStore,
    inject: [PAYMENTS_CONFIG],
    useFactory: (config: PaymentsConfig) =>
      new IdempotencyStore({
        lockTimeoutMs: config.IDEMPOTENCY_LOCK_TIMEOUT_MS,
        retentionMs: config.IDEMPOTENCY_RETENTION_MS,
      }),
  },
  {
    provide: PaymentEventsOutbox,
    inject: [PAYMENTS_CONFIG],
    useFactory: (config: PaymentsConfig) =>
      new PaymentEventsOutbox(config.PAYMENTS_EVENTS_TOPIC, {
        wakeup: config.OUTBOX_WAKEUPS === 'on',
      }),
  },
  {
    provide: PSP_GATEWAY,
    inject: [PAYMENTS_CONFIG],
    useFactory: (config: PaymentsConfig): PspGateway => {
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
    },
  },
  {
    provide: PaymentSettlement,
    inject: [
      PAYMENTS_CONFIG,
      PaymentsRepository,
      LedgerRepository,
      PaymentEventsOutbox,
      LateChargeWatchesRepository,
    ],
    useFactory: (
      config: PaymentsConfig,
      p: PaymentsRepository,
      l: LedgerRepository,
      e: PaymentEventsOutbox,
      w: LateChargeWatchesRepository,
    ) => new PaymentSettlement(p, l, e, w, lateChargeSchedule(config)),
  },
  {
    provide: LateChargeSweep,
    inject: [
      PAYMENTS_CONFIG,
      TRANSACTIONS,
      LateChargeWatchesRepository,
      PaymentSettlement,
      PSP_GATEWAY,
    ],
    useFactory: (
      config: PaymentsConfig,
      t: TypeOrmTransactions,
      w: LateChargeWatchesRepository,
      settle: PaymentSettlement,
      psp: PspGateway,
    ) => new LateChargeSweep(t, w, settle, psp, lateChargeSchedule(config)),
  },
  {
    provide: LateCharges,
    inject: [TRANSACTIONS, PaymentsRepository, PSP_GATEWAY],
    useFactory: (t: TypeOrmTransactions, p: PaymentsRepository, psp: PspGateway) =>
      new LateCharges(t, p, psp),
  },
  {
    provide: CreatePaymentUseCase,
    inject: [
      TRANSACTIONS,
      IdempotencyStore,
      PaymentsRepository,
      PaymentSettlement,
      PSP_GATEWAY,
      LateCharges,
    ],
    useFactory: (
      t: TypeOrmTransactions,
      s: IdempotencyStore,
      p: PaymentsRepository,
      settle: PaymentSettlement,
      psp: PspGateway,
      late: LateCharges,
    ) => new CreatePaymentUseCase(t, s, p, settle, psp, late),
  },
  {
    provide: SettleBeforeRefund,
    inject: [
      PAYMENTS_CONFIG,
      TRANSACTIONS,
      PaymentsRepository,
      PaymentSettlement,
      PSP_GATEWAY,
      LateCharges,
    ],
    useFactory: (
      config: PaymentsConfig,
      t: TypeOrmTransactions,
      p: PaymentsRepository,
      settle: PaymentSettlement,
      psp: PspGateway,
      late: LateCharges,
    ) => new SettleBeforeRefund(t, p, settle, psp, late, longestChargeCallMs(config)),
  },
  {
    provide: GetPaymentUseCase,
    inject: [TRANSACTIONS, PaymentsRepository],
    useFactory: (t: TypeOrmTransactions, p: PaymentsRepository) => new GetPaymentUseCase(t, p),
  },
  {
    provide: RefundPaymentUseCase,
    inject: [
      TRANSACTIONS,
      IdempotencyStore,
      PaymentsRepository,
      LedgerRepository,
      PaymentEventsOutbox,
      PSP_GATEWAY,
    ],
    useFactory: (
      t: TypeOrmTransactions,
      s: IdempotencyStore,
      p: PaymentsRepository,
      l: LedgerRepository,
      e: PaymentEventsOutbox,
      psp: PspGateway,
    ) => new RefundPaymentUseCase(t, s, p, l, e, psp),
  },
  {
    provide: ReconcilePaymentsUseCase,
    inject: [
      TRANSACTIONS,
      PaymentsRepository,
      PaymentSettlement,
      PSP_GATEWAY,
      LateCharges,
      LateChargeSweep,
    ],
    useFactory: (
      t: TypeOrmTransactions,
      p: PaymentsRepository,
      settle: PaymentSettlement,
      psp: PspGateway,
      late: LateCharges,
      sweep: LateChargeSweep,
    ) => new ReconcilePaymentsUseCase(t, p, settle, psp, late, sweep),
  },
];
