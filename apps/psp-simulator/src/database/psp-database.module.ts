import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { migratingDataSourceFactory, typeOrmOptionsFor } from '@suite/service-kit';
import { ChargeRecord, RefundRecord } from '../charges/infra/charge.record';
import { PSP_SIMULATOR_CONFIG, type PspSimulatorConfig } from '../config/psp-simulator.config';
import { ChargesAndRefunds1760000000000 } from './migrations/1760000000000-charges-and-refunds';

// Migrations run at start-up under the replicas' shared lock, before the first request; the
// schema is never synchronised.
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PSP_SIMULATOR_CONFIG],
      useFactory: (config: PspSimulatorConfig) => ({
        ...typeOrmOptionsFor({
          url: config.DATABASE_URL,
          entities: [ChargeRecord, RefundRecord],
          migrations: [ChargesAndRefunds1760000000000],
          poolSize: 10,
          applicationName: 'psp-simulator',
        }),
        logging: false,
      }),
      dataSourceFactory: migratingDataSourceFactory,
    }),
  ],
})
export class PspDatabaseModule {}
