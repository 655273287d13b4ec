import { PSP_SIMULATOR_CONFIG, type PspSimulatorConfig } from '../config/psp-simulator.config';
import { FaultPlan } from './domain/fault-plan';

export const faultPlanProvider = {
  provide: FaultPlan,
  inject: [PSP_SIMULATOR_CONFIG],
  useFactory: (config: PspSimulatorConfig) =>
    new FaultPlan({
      latencyMs: config.PSP_LATENCY_MS,
      errorRate: config.PSP_ERROR_RATE,
      declineRate: config.PSP_DECLINE_RATE,
      timeoutAfterChargeRate: config.PSP_TIMEOUT_AFTER_CHARGE_RATE,
      hangMs: config.PSP_HANG_MS,
      duplicateCallbacks: config.PSP_DUPLICATE_CALLBACKS,
      seed: config.PSP_SEED,
    }),
};
