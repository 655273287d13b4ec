import { DEFAULT_PORTS } from '@suite/contracts';
import { baseServiceConfig, durationMsVar, pemVar, portVar } from '@suite/service-kit';
import { z } from 'zod';

// The boot values of the generated web; PUT /web replaces them for the next run.
export const webSimulatorConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['web-simulator']),
  // The chassis verifies tokens with it; the simulator's own routes are public test-double
  // routes on loopback, as a real web site needs no token either.
  JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
  JWT_ISSUER: z.string().min(1).default('suite'),
  JWT_AUDIENCE: z.string().min(1).default('suite'),
  WEB_SEED: z.coerce.number().int().min(0).max(0xffff_ffff).default(1),
  WEB_HOSTS: z.coerce.number().int().min(1).max(500).default(12),
  WEB_PAGES_PER_HOST: z.coerce.number().int().min(2).max(500).default(12),
  // Politeness: requests to one host closer together than this are counted as violations.
  WEB_MIN_INTERVAL_MS: durationMsVar({ default: 50, min: 0, max: 60_000 }),
  // Slow hosts answer after up to this long; 0: no slow hosts.
  WEB_SLOW_MS: durationMsVar({ default: 120, min: 0, max: 60_000 }),
  // A file to append one JSON line per request to a generated host (host, path, wall-clock
  // arrival, the loop's stall), for investigations; unset: none.
  WEB_ARRIVALS_FILE: z.string().min(1).optional(),
});

export type WebSimulatorConfig = z.infer<typeof webSimulatorConfigSchema>;
