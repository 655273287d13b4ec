import { Module, type DynamicModule } from '@nestjs/common';
import { PostgresPersistenceModule } from '@suite/service-kit';
import { CreateChargeHttpController } from './charges/create-charge/create-charge.http.controller';
import { CreateChargeUseCase } from './charges/create-charge/create-charge.use-case';
import { CreateRefundHttpController } from './charges/create-refund/create-refund.http.controller';
import { CreateRefundUseCase } from './charges/create-refund/create-refund.use-case';
import { FindChargesHttpController } from './charges/find-charges/find-charges.http.controller';
import { FindChargesUseCase } from './charges/find-charges/find-charges.use-case';
import { CallbackSender } from './charges/infra/callback-sender';
import { ChargesRepository } from './charges/infra/charges.repository';
import type { PspSimulatorConfig } from './config/psp-simulator.config';
import { PSP_SIMULATOR_MIGRATIONS } from './database/migrations';
import { FaultsHttpController } from './faults/admin/faults.http.controller';
import { FaultPlan } from './faults/domain/fault-plan';
import { Pauses } from './faults/infra/pauses';
import { PSP_SIMULATOR_CONFIG } from './psp-simulator.tokens';

// Charges, refunds and the fault plan over the simulator's own Postgres database.
@Module({})
export class PspSimulatorModule {
  static register(config: PspSimulatorConfig): DynamicModule {
    return {
      module: PspSimulatorModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: PSP_SIMULATOR_MIGRATIONS,
          poolSize: 10,
          applicationName: 'psp-simulator',
        }),
      ],
      controllers: [
        CreateChargeHttpController,
        CreateRefundHttpController,
        FindChargesHttpController,
        FaultsHttpController,
      ],
      providers: [
        { provide: PSP_SIMULATOR_CONFIG, useValue: config },
        {
          provide: FaultPlan,
          useFactory: () =>
            new FaultPlan({
              latencyMs: config.PSP_LATENCY_MS,
              errorRate: config.PSP_ERROR_RATE,
              declineRate: config.PSP_DECLINE_RATE,
              timeoutAfterChargeRate: config.PSP_TIMEOUT_AFTER_CHARGE_RATE,
              hangMs: config.PSP_HANG_MS,
              duplicateCallbacks: config.PSP_DUPLICATE_CALLBACKS,
              seed: config.PSP_SEED,
            }),
        },
        { provide: ChargesRepository, useValue: new ChargesRepository() },
        Pauses,
        CallbackSender,
        CreateChargeUseCase,
        CreateRefundUseCase,
        FindChargesUseCase,
      ],
    };
  }
}
