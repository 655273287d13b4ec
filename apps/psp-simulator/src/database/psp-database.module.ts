import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChargeRecord, RefundRecord } from '../charges/infra/charge.record';
import { PSP_SIMULATOR_CONFIG, type PspSimulatorConfig } from '../config/psp-simulator.config';
import { ChargesAndRefunds1760000000000 } from './migrations/1760000000000-charges-and-refunds';

// Migrations run at start-up, before the first request; the schema is never synchronised.
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PSP_SIMULATOR_CONFIG],
      useFactory: (config: PspSimulatorConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        entities: [ChargeRecord, RefundRecord],
        migrations: [ChargesAndRefunds1760000000000],
        migrationsRun: true,
        synchronize: false,
        logging: false,
        extra: { max: 10 },
      }),
    }),
  ],
})
export class PspDatabaseModule {}
