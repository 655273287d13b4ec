import { DEFAULT_PORTS } from '@suite/contracts';
import { baseServiceConfig, durationMsVar, portVar } from '@suite/coordination-nest';
import { z } from 'zod';

// The simulator has no dependencies, so every variable has a default and it starts
// with no environment at all. Faults are off unless asked for.
export const pspSimulatorConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['psp-simulator']),
  // Added to every charge before it answers.
  PSP_LATENCY_MS: durationMsVar({ default: 0, min: 0 }),
  // Fraction of charges that fail, from 0 (never) to 1 (always).
  PSP_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
});

export type PspSimulatorConfig = z.infer<typeof pspSimulatorConfigSchema>;

export const PSP_SIMULATOR_CONFIG = Symbol('PSP_SIMULATOR_CONFIG');
