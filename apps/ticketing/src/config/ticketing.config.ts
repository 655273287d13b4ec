import { DEFAULT_PORTS, TOPICS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  durationMsVar,
  pemVar,
  portVar,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
  urlVar,
} from '@suite/coordination-nest';
import { z } from 'zod';

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);
const topicVar = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be a Kafka topic name')
    .default(fallback);

// A PEM in one environment line: "\n" escapes stand for the line breaks. The same helper as
// the gateway's, until config-vars shares one.

export const ticketingConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.ticketing),
  // Seats, holds' confirmed state, sagas and the outbox.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  // Seat holds and their fencing tokens.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Prefix of every Redis key the service writes (tests isolate themselves with it).
  REDIS_KEY_PREFIX: z.string().default(''),
  // Outbox relay and payment replies.
  KAFKA_BROKERS: brokerList(),
  // Kafka client id; consumer groups are named after it.
  KAFKA_CLIENT_ID: z.string().min(1).default('ticketing'),
  // The token issuer's public key (SPKI PEM) and the claims every token must carry. Only
  // the public key: ticketing verifies the caller's token, it can never mint one.
  JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
  JWT_ISSUER: z.string().min(1).default('suite'),
  JWT_AUDIENCE: z.string().min(1).default('suite'),
  // off: only health and metrics (no database, Redis or Kafka), for wiring tests.
  DOMAIN: onOff('on'),
  // off: no Kafka at all (outbox relay, saga reply consumer, participant, recoverer);
  // holds and seats still work, checkouts stay pending.
  SAGA_WORKERS: onOff('on'),
  HOLD_TTL_MS: durationMsVar({ default: 120_000, min: 100 }),
  MAX_SEATS_PER_HOLD: z.coerce.number().int().min(1).max(100).default(10),
  // How often expired holds are looked for (HoldExpired events); 0 turns the sweeper off.
  HOLD_SWEEP_INTERVAL_MS: durationMsVar({ default: 1_000 }),
  // How long POST /checkouts waits for the saga before answering 202.
  CHECKOUT_WAIT_MS: durationMsVar({ default: 2_000, max: 30_000 }),
  // Reply deadline of the ticketing steps and of the payment capture.
  STEP_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 100 }),
  PAYMENT_TIMEOUT_MS: durationMsVar({ default: 15_000, min: 100 }),
  // on: every outbox write NOTIFYs the relay when its transaction commits and the relay
  // LISTENs, so saga commands, replies and events go out without waiting for a poll.
  // off: the relay only polls.
  OUTBOX_WAKEUPS: onOff('on'),
  // How long an idle relay waits before it claims again: the whole wait without wake-ups,
  // the safety net with them (a notification lost with a broken LISTEN connection).
  OUTBOX_IDLE_DELAY_MS: durationMsVar({ default: 100, min: 1 }),
  RECOVERER_INTERVAL_MS: durationMsVar({ default: 500, min: 10 }),
  TICKETING_EVENTS_TOPIC: topicVar(TOPICS.ticketingEvents),
  TICKETING_COMMANDS_TOPIC: topicVar(TOPICS.ticketingCommands),
  TICKETING_REPLIES_TOPIC: topicVar(TOPICS.ticketingReplies),
  PAYMENTS_COMMANDS_TOPIC: topicVar(TOPICS.paymentsCommands),
});

export type TicketingConfig = z.infer<typeof ticketingConfigSchema>;

export const TICKETING_CONFIG = Symbol('TICKETING_CONFIG');
