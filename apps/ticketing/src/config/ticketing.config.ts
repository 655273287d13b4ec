import { DEFAULT_PORTS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  portVar,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
  urlVar,
} from '@suite/coordination-nest';
import type { z } from 'zod';

export const ticketingConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.ticketing),
  // Seats, holds' confirmed state, sagas and the outbox.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  // Seat holds and their fencing tokens.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Outbox relay and payment replies.
  KAFKA_BROKERS: brokerList(),
});

export type TicketingConfig = z.infer<typeof ticketingConfigSchema>;

export const TICKETING_CONFIG = Symbol('TICKETING_CONFIG');
