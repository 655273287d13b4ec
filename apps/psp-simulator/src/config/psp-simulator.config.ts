import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  durationMsVar,
  pemVar,
  portVar,
  POSTGRES_PROTOCOLS,
  urlVar,
} from '@suite/service-kit';
import { z } from 'zod';

const rate = () => z.coerce.number().min(0).max(1).default(0);

// Comma-separated origins ("http://127.0.0.1:3002"), each scheme, host and port only, or
// "none"; kept
// as URL.origin strings, so a callback URL's origin compares equal to one of them exactly.
const originList = (defaultOrigins: string) =>
  z
    .string()
    .default(defaultOrigins)
    .transform((raw, ctx) => {
      if (raw.trim() === 'none') return [];
      const origins: string[] = [];
      for (const entry of raw
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e.length > 0)) {
        let url: URL | undefined;
        try {
          url = new URL(entry);
        } catch {
          url = undefined;
        }
        const bare = url !== undefined && url.pathname === '/' && !url.search && !url.hash;
        if (!url || !['http:', 'https:'].includes(url.protocol) || !bare || url.username) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `"${entry}" is not an http(s) origin (scheme://host[:port], no path)`,
          });
          continue;
        }
        origins.push(url.origin);
      }
      return origins;
    });

// Faults are off unless asked for. The fault variables are the boot values of the fault
// plan; PUT /admin/faults changes them at run time and DELETE /admin/faults restores them.
export const pspSimulatorConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS['psp-simulator']),
  // The token issuer's public key (SPKI PEM) and the claims every token must carry. Only
  // /admin needs a token, an operator's (scope ops:admin); the charge API is the merchant's.
  JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
  JWT_ISSUER: z.string().min(1).default('suite'),
  JWT_AUDIENCE: z.string().min(1).default('suite'),
  // The only origins a charge's callbackUrl may name; any other is refused with 422, so a
  // caller cannot make the simulator send requests to an address of its choosing. "none":
  // no callbacks at all. Default: the payments service on its local port.
  PSP_CALLBACK_ORIGINS: originList(`http://127.0.0.1:${DEFAULT_PORTS.payments}`),
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
