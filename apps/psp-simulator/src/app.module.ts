import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import { CallbackSender } from './callbacks/callback-sender';
import { CreateChargeHttpController } from './charges/create-charge/create-charge.http.controller';
import { CreateChargeUseCase } from './charges/create-charge/create-charge.use-case';
import { CreateRefundHttpController } from './charges/create-refund/create-refund.http.controller';
import { CreateRefundUseCase } from './charges/create-refund/create-refund.use-case';
import { FindChargesHttpController } from './charges/find-charges/find-charges.http.controller';
import { ChargeRecord, RefundRecord } from './charges/infra/charge.record';
import { ChargesRepository } from './charges/infra/charges.repository';
import { PSP_SIMULATOR_CONFIG, type PspSimulatorConfig } from './config/psp-simulator.config';
import { PspDatabaseModule } from './database/psp-database.module';
import { faultPlanProvider } from './faults/fault-plan.provider';
import { FaultsHttpController } from './faults/faults.http.controller';
import { Pauses } from './faults/pauses';
import { DatabaseReadiness } from './database/database-readiness';

@Global()
@Module({})
class PspConfigModule {
  static register(config: PspSimulatorConfig): DynamicModule {
    return {
      module: PspConfigModule,
      providers: [{ provide: PSP_SIMULATOR_CONFIG, useValue: config }],
      exports: [PSP_SIMULATOR_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PspSimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PspConfigModule.register(config),
        ObservabilityModule.forService('psp-simulator', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('psp-simulator'),
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        PspDatabaseModule,
        TypeOrmModule.forFeature([ChargeRecord, RefundRecord]),
      ],
      controllers: [
        CreateChargeHttpController,
        CreateRefundHttpController,
        FindChargesHttpController,
        FaultsHttpController,
      ],
      providers: [
        faultPlanProvider,
        Pauses,
        DatabaseReadiness,
        CallbackSender,
        ChargesRepository,
        CreateChargeUseCase,
        CreateRefundUseCase,
      ],
    };
  }
}
