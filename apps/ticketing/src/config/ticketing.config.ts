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
} from '@suite/service-kit';
import { consumerFailoverBoundMs, consumerGroupTiming, stepBudgetMs } from '@suite/coordination';
import { z } from 'zod';
import { checkoutStepPolicies } from '../checkout/domain/checkout.saga';

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);
const topicVar = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be a Kafka topic name')
    .default(fallback);

// A PEM in one environment line: "\n" escapes stand for the line breaks. The same helper as
// the gateway's, until config-vars shares one.

const ticketingConfigFields = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.ticketing),
  // Seats, holds' confirmed state, sagas and the outbox.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  // Connections of the pool that requests (holds, checkouts, reads), drive() of the local
  // steps and the saga recoverer use; the relay and saga consumers have SAGA_POOL_SIZE more.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // Seat holds and their fencing tokens.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // Prefix of every Redis key the service writes (tests isolate themselves with it).
  REDIS_KEY_PREFIX: z.string().default(''),
  // Redis Cluster seed nodes, comma-separated host:port. Set: a Cluster client (REDIS_URL
  // then lends only its scheme and credentials); unset: the one server at REDIS_URL.
  REDIS_CLUSTER_NODES: brokerList().optional(),
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
  // on (with SAGA_WORKERS): ticketing's own steps of a checkout (verify the hold, confirm the
  // seats, issue the tickets, and their undos) run in the process that decided them, right
  // after the decision commits, each in one transaction with its reply. Their commands still
  // go out through the outbox, so the Kafka consumer runs any that this process did not (a
  // crash); the inbox lets a step take effect once. off: every step makes the Kafka round trip.
  SAGA_LOCAL_STEPS: onOff('on'),
  HOLD_TTL_MS: durationMsVar({ default: 120_000, min: 100 }),
  // fenced: a Redis lease per seat with a fencing token, and Postgres written only by the
  // winner. naive: one Postgres transaction per hold that locks the seat rows with SELECT
  // ... FOR UPDATE and looks for a live hold on them; for the holds benchmark only (seat
  // listings and checkout know nothing of its holds) and refused under NODE_ENV=production.
  HOLD_MECHANISM: z.enum(['fenced', 'naive']).default('fenced'),
  // Admission of the hold's Postgres transaction (the part after the Redis lease is won):
  // at most HOLD_ADMISSION_IN_FLIGHT at once, so that the flash sale's holds leave the rest
  // of the HTTP pool to the checkout's steps, orders and polls. Up to HOLD_ADMISSION_QUEUE
  // more wait, each at most HOLD_ADMISSION_WAIT_MS; any other hold is answered 429 with
  // Retry-After (its leases given back). 0 in flight: no bound. Keep it below
  // DATABASE_POOL_SIZE.
  HOLD_ADMISSION_IN_FLIGHT: z.coerce.number().int().min(0).max(100).default(4),
  HOLD_ADMISSION_QUEUE: z.coerce.number().int().min(0).max(10_000).default(64),
  HOLD_ADMISSION_WAIT_MS: durationMsVar({ default: 1_000, max: 30_000 }),
  // Only read to refuse the benchmark-only settings in a production image.
  NODE_ENV: z.string().optional(),
  MAX_SEATS_PER_HOLD: z.coerce.number().int().min(1).max(100).default(10),
  // Seats one user may hold at once in one event, across all their active holds: two full
  // holds. Without it one user kept ~400 seats (20 holds a minute, 120 s each).
  MAX_HELD_SEATS_PER_USER_PER_EVENT: z.coerce.number().int().min(1).max(10_000).default(20),
  // How often expired holds are looked for (HoldExpired events); 0 turns the sweeper off.
  HOLD_SWEEP_INTERVAL_MS: durationMsVar({ default: 1_000 }),
  // How long after its arrival POST /checkouts answers at the latest (202 if the saga is
  // still running then); keep it well under the gateway's timeout for ticketing.
  CHECKOUT_WAIT_MS: durationMsVar({ default: 2_000, max: 30_000 }),
  // on: a waiting checkout is woken when its saga ends, by a NOTIFY that every instance
  // LISTENs to on one connection of its own (the transaction that ends the saga sends it on
  // commit). off: it is woken only by this process's own changes, and polls.
  CHECKOUT_WAKEUPS: onOff('on'),
  // While it waits, how often a checkout reads its saga besides the wake-ups: the safety net
  // for a notification lost with a broken LISTEN connection, and with wake-ups off the way
  // another instance's changes are seen. Each read takes an HTTP-pool connection.
  CHECKOUT_POLL_MS: durationMsVar({ default: 1_000, min: 10, max: 10_000 }),
  // Reply deadline per attempt, and attempts in all, of the ticketing steps and of the
  // payment capture. With the backoffs between attempts (100 ms doubling to 2 s) they make
  // each step's budget: how long it waits on silence before it gives up. Checked at boot
  // against the participants' failover (below).
  STEP_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 100 }),
  STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(8),
  PAYMENT_TIMEOUT_MS: durationMsVar({ default: 15_000, min: 100 }),
  PAYMENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(5),
  // Session timeouts of the consumer groups that answer the saga's commands: ticketing's
  // own (its saga consumers run with it) and payments' (set it to payments'
  // KAFKA_SESSION_TIMEOUT_MS). A killed participant's partitions move to its restarted
  // process only after its session expires and the group rebalances
  // (consumerFailoverBoundMs); no step may give up sooner.
  KAFKA_SESSION_TIMEOUT_MS: durationMsVar({ default: 10_000, min: 1_000, max: 300_000 }),
  PAYMENTS_SESSION_TIMEOUT_MS: durationMsVar({ default: 10_000, min: 1_000, max: 300_000 }),
  // Partitions each saga consumer works on at once (kafkajs partitionsConsumedConcurrently);
  // one saga's messages share a partition and stay in order. 1 is one message at a time.
  SAGA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
  // Connections of the pool that the outbox relay and the saga's reply and command
  // consumers share, apart from the HTTP pool's 10 so that they never queue behind holds:
  // one for the relay and one per partition each consumer works on at once. 0 puts them on
  // the HTTP pool.
  SAGA_POOL_SIZE: z.coerce.number().int().min(0).max(50).default(7),
  // Replies of one partition applied in one transaction by the reply consumer, when a
  // backlog has formed (one commit for many); 1 applies each reply in its own.
  SAGA_REPLIES_PER_TRANSACTION: z.coerce.number().int().min(1).max(500).default(32),
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

// A step must outlast its participant's failover by half again: the process restart, the
// rejoin, and the redelivered commands still have to run.
export const FAILOVER_MARGIN = 1.5;

// No step gives up on silence in less time than its participant takes to come back; a
// config that breaks it refuses to start.
export const ticketingConfigSchema = ticketingConfigFields.superRefine((config, ctx) => {
  if (config.HOLD_ADMISSION_IN_FLIGHT >= config.DATABASE_POOL_SIZE) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['HOLD_ADMISSION_IN_FLIGHT'],
      message:
        `${config.HOLD_ADMISSION_IN_FLIGHT} holds in flight would leave none of the ` +
        `${config.DATABASE_POOL_SIZE} connections of DATABASE_POOL_SIZE to checkouts; keep it ` +
        'below the pool, or 0 for no bound',
    });
  }
  if (config.HOLD_MECHANISM === 'naive' && config.NODE_ENV === 'production') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['HOLD_MECHANISM'],
      message: 'naive is for the holds benchmark only and is refused with NODE_ENV=production',
    });
  }
  const policies = checkoutStepPolicies({
    stepTimeoutMs: config.STEP_TIMEOUT_MS,
    stepMaxAttempts: config.STEP_MAX_ATTEMPTS,
    paymentTimeoutMs: config.PAYMENT_TIMEOUT_MS,
    paymentMaxAttempts: config.PAYMENT_MAX_ATTEMPTS,
  });
  const checks = [
    {
      what: 'a ticketing step',
      budgetMs: stepBudgetMs(policies.ticketing),
      vars: ['STEP_TIMEOUT_MS', 'STEP_MAX_ATTEMPTS'],
      session: 'KAFKA_SESSION_TIMEOUT_MS',
      sessionMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
    {
      what: 'the payment capture',
      budgetMs: stepBudgetMs(policies.payment),
      vars: ['PAYMENT_TIMEOUT_MS', 'PAYMENT_MAX_ATTEMPTS'],
      session: 'PAYMENTS_SESSION_TIMEOUT_MS',
      sessionMs: config.PAYMENTS_SESSION_TIMEOUT_MS,
    },
  ];
  for (const check of checks) {
    const boundMs = consumerFailoverBoundMs(consumerGroupTiming(check.sessionMs));
    const neededMs = Math.ceil(boundMs * FAILOVER_MARGIN);
    if (check.budgetMs >= neededMs) continue;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [check.vars.join(', ')],
      message:
        `${check.what} gives up after ${check.budgetMs} ms of silence, less than ` +
        `${FAILOVER_MARGIN} x the ${boundMs} ms its participant's consumer group may take ` +
        `to fail over with ${check.session}=${check.sessionMs}; raise ${check.vars.join(' or ')}, ` +
        `or lower ${check.session}`,
    });
  }
});

export type TicketingConfig = z.infer<typeof ticketingConfigSchema>;
