import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { migratingDataSourceFactory, typeOrmOptionsFor } from '@suite/service-kit';
import type { DataSource } from 'typeorm';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments.config';
import { PaymentRecord, RefundRecord } from '../payments/infra/payment.record';
import { CoordinationTables1760000001000 } from './migrations/1760000001000-coordination-tables';
import { PaymentsAndLedger1760000002000 } from './migrations/1760000002000-payments-and-ledger';
import { ChargeAttemptsAndTombstones1760000003000 } from './migrations/1760000003000-charge-attempts-and-tombstones';
import { LateChargeWatches1760000004000 } from './migrations/1760000004000-late-charge-watches';
import { TypeOrmTransactions } from './typeorm-transactions';

export const TRANSACTIONS = Symbol('TRANSACTIONS');

// Migrations run at start-up under the replicas' shared lock, before the first request; the
// schema is never synchronised.
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PAYMENTS_CONFIG],
      useFactory: (config: PaymentsConfig) => ({
        ...typeOrmOptionsFor({
          url: config.DATABASE_URL,
          entities: [PaymentRecord, RefundRecord],
          migrations: [
            CoordinationTables1760000001000,
            PaymentsAndLedger1760000002000,
            ChargeAttemptsAndTombstones1760000003000,
            LateChargeWatches1760000004000,
          ],
          poolSize: 20,
          applicationName: 'payments',
        }),
        logging: false,
      }),
      dataSourceFactory: migratingDataSourceFactory,
    }),
  ],
  providers: [
    {
      provide: TRANSACTIONS,
      inject: [getDataSourceToken()],
      useFactory: (db: DataSource) => new TypeOrmTransactions(db),
    },
  ],
  exports: [TRANSACTIONS],
})
export class PaymentsDatabaseModule {}
