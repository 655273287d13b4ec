import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  durationMsVar,
  HTTP_PROTOCOLS,
  portVar,
  POSTGRES_PROTOCOLS,
  urlVar,
} from '@suite/coordination-nest';
import type { z } from 'zod';

export const paymentsConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.payments),
  // Payments, idempotency records, ledger postings and the outbox, in one database.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  KAFKA_BROKERS: brokerList(),
  PSP_URL: urlVar({
    protocols: HTTP_PROTOCOLS,
    default: `http://127.0.0.1:${DEFAULT_PORTS['psp-simulator']}`,
  }),
  // Below the gateway's default upstream timeout (5 s), so payments gives up on the
  // PSP and records "unknown, reconcile" before the client's call is cut off.
  PSP_TIMEOUT_MS: durationMsVar({ default: 3_000, min: 1 }),
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');
