import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  durationMsVar,
  portVar,
  POSTGRES_PROTOCOLS,
  urlVar,
} from '@suite/coordination-nest';
import { z } from 'zod';

const rate = () => z.coerce.number().min(0).max(1).default(0);

// Faults are off unless asked for. The fault variables are the boot values of the fault
// plan; PUT /admin/faults changes them at run time and DELETE /admin/faults restores them.
export const pspSimulatorConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['psp-simulator']),
  // Charges and refunds, keyed by the merchant's Idempotency-Key.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  // Added to every charge and refund before it is processed.
  PSP_LATENCY_MS: durationMsVar({ default: 0, min: 0 }),
  // Fraction of requests answered 503 without charging, from 0 (never) to 1 (always).
  PSP_ERROR_RATE: rate(),
  // Fraction of charges declined with 402 (stored, so a retry is declined again).
  PSP_DECLINE_RATE: rate(),
  // Fraction of charges that are made and then answered only after PSP_HANG_MS, by
  // which time the merchant has given up: the charge exists but the merchant never saw it.
  PSP_TIMEOUT_AFTER_CHARGE_RATE: rate(),
  PSP_HANG_MS: durationMsVar({ default: 10_000, min: 0 }),
  // Send every webhook twice, as real processors sometimes do.
  PSP_DUPLICATE_CALLBACKS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  // Seed of the fault dice, so a run with rates is reproducible.
  PSP_SEED: z.coerce.number().int().min(0).default(1),
});

export type PspSimulatorConfig = z.infer<typeof pspSimulatorConfigSchema>;

export const PSP_SIMULATOR_CONFIG = Symbol('PSP_SIMULATOR_CONFIG');
