import { DEFAULT_PORTS, TOPICS } from '@suite/contracts';
import {
  baseServiceConfig,
  brokerList,
  durationMsVar,
  HTTP_PROTOCOLS,
  pemVar,
  portVar,
  POSTGRES_PROTOCOLS,
  urlVar,
} from '@suite/service-kit';
import { z } from 'zod';
import type { LateChargeSchedule } from '../payments/domain/late-charge-schedule';

const onOff = () => z.enum(['on', 'off']).default('on');

// A PEM in one environment line: "\n" escapes stand for the line breaks. The same helper as
// the gateway's, until config-vars shares one.

const paymentsConfigFields = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.payments),
  // Payments, idempotency records, ledger postings and the outbox, in one database.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  KAFKA_BROKERS: brokerList(),
  // Kafka client id, and the saga participant's consumer group. Instances of one deployment
  // share it; a test sets its own so it never joins a running stack's group.
  KAFKA_CLIENT_ID: z.string().min(1).default('payments'),
  // Session timeout of the saga consumers' groups. A killed instance's partitions wait up to
  // this, then one rebalance (as long again), before a restarted or surviving instance reads
  // them: consumerFailoverBoundMs = 2 x this (ADR 0004). A graceful stop (SIGTERM) leaves the
  // group and hands over at once. No saga step may give up sooner than the bound.
  KAFKA_SESSION_TIMEOUT_MS: durationMsVar({ default: 10_000, min: 1_000, max: 300_000 }),
  // Partitions each saga consumer works on at once (kafkajs partitionsConsumedConcurrently);
  // one saga's messages share a partition and stay in order. 1 is one message at a time.
  SAGA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
  // The token issuer's public key (SPKI PEM) and the claims every token must carry. Only
  // the public key: payments verifies the caller's token, it can never mint one.
  JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
  JWT_ISSUER: z.string().min(1).default('suite'),
  JWT_AUDIENCE: z.string().min(1).default('suite'),
  PSP_URL: urlVar({
    protocols: HTTP_PROTOCOLS,
    default: `http://127.0.0.1:${DEFAULT_PORTS['psp-simulator']}`,
  }),
  // Per attempt. Below the gateway's default upstream timeout (5 s), so payments gives up
  // on the PSP and records "unknown, reconcile" before the client's call is cut off.
  PSP_TIMEOUT_MS: durationMsVar({ default: 3_000, min: 1 }),
  // Attempts per PSP call, all under the same idempotency key.
  PSP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  PSP_RETRY_BACKOFF_MS: durationMsVar({ default: 100, min: 0 }),
  // How long the circuit stays open after the PSP failed half the calls it was sent.
  PSP_BREAKER_RESET_MS: durationMsVar({ default: 5_000, min: 1 }),
  // keyed: every retry reuses the payment's key. naive: the demo's broken variant that
  // retries under a fresh key and double-charges on timeout-after-charge. Never in production.
  PSP_CLIENT: z.enum(['keyed', 'naive']).default('keyed'),
  // How long a request may hold an Idempotency-Key before a retry may take it over. Must
  // exceed a whole PSP call: PSP_TIMEOUT_MS x PSP_MAX_ATTEMPTS plus backoff.
  IDEMPOTENCY_LOCK_TIMEOUT_MS: durationMsVar({ default: 30_000, min: 1 }),
  IDEMPOTENCY_RETENTION_MS: durationMsVar({ default: 86_400_000, min: 1, max: 2_592_000_000 }),
  // The reconciliation job: how often it runs (0: never) and how old an unsettled payment
  // must be before the job settles it (must exceed a whole PSP call as well).
  RECONCILE_INTERVAL_MS: durationMsVar({ default: 30_000, min: 0 }),
  RECONCILE_AFTER_MS: durationMsVar({ default: 60_000, min: 0 }),
  // The late-charge sweep, part of the reconciliation job: a payment failed with no word
  // from the PSP after a charge request was sent is asked about again by key, first
  // LATE_CHARGE_CHECK_MS after its failure, then at gaps doubling up to
  // LATE_CHARGE_CHECK_MAX_MS, last at LATE_CHARGE_HORIZON_MS. The horizon is an assumption
  // about the PSP: it acts on a request, if ever, within that long.
  LATE_CHARGE_CHECK_MS: durationMsVar({ default: 30_000, min: 1 }),
  LATE_CHARGE_CHECK_MAX_MS: durationMsVar({ default: 300_000, min: 1, max: 86_400_000 }),
  LATE_CHARGE_HORIZON_MS: durationMsVar({ default: 900_000, min: 1, max: 86_400_000 }),
  OUTBOX_RELAY: onOff(),
  // on: every outbox write NOTIFYs the relay when its transaction commits and the relay
  // LISTENs, so an event or saga reply is published without waiting for the next poll.
  // off: the relay only polls.
  OUTBOX_WAKEUPS: onOff(),
  // How long an idle relay waits before it claims again: the whole wait without wake-ups,
  // the safety net with them (a notification lost with a broken LISTEN connection).
  OUTBOX_IDLE_DELAY_MS: durationMsVar({ default: 100, min: 1 }),
  SAGA_PARTICIPANT: onOff(),
  PAYMENTS_COMMANDS_TOPIC: z.string().min(1).default(TOPICS.paymentsCommands),
  PAYMENTS_EVENTS_TOPIC: z.string().min(1).default(TOPICS.paymentsEvents),
});

// The late-charge checks must fit inside their horizon, and the horizon must outlast
// payments' own charge call: a request still being retried is not late. Refused at boot.
export const paymentsConfigSchema = paymentsConfigFields.superRefine((config, ctx) => {
  const mustNotExceed = [
    ['LATE_CHARGE_CHECK_MS', 'LATE_CHARGE_CHECK_MAX_MS'],
    ['LATE_CHARGE_CHECK_MAX_MS', 'LATE_CHARGE_HORIZON_MS'],
  ] as const;
  for (const [shorter, longer] of mustNotExceed) {
    if (config[shorter] <= config[longer]) continue;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [longer],
      message: `${config[longer]} ms is shorter than ${shorter} (${config[shorter]} ms)`,
    });
  }
  const callMs = longestChargeCallMs(config);
  if (config.LATE_CHARGE_HORIZON_MS < callMs) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['LATE_CHARGE_HORIZON_MS'],
      message:
        `${config.LATE_CHARGE_HORIZON_MS} ms is shorter than one PSP charge call ` +
        `(${callMs} ms from PSP_TIMEOUT_MS, PSP_MAX_ATTEMPTS, PSP_RETRY_BACKOFF_MS)`,
    });
  }
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

// The longest a PSP charge call can take: every attempt timing out, the backoff between
// them, and the lookup by key at the end. A charge attempt that began longer ago than this
// is over; only then may "the PSP holds no charge" be believed.
export function longestChargeCallMs(
  config: Pick<PaymentsConfig, 'PSP_TIMEOUT_MS' | 'PSP_MAX_ATTEMPTS' | 'PSP_RETRY_BACKOFF_MS'>,
): number {
  let backoff = 0;
  for (let attempt = 1; attempt < config.PSP_MAX_ATTEMPTS; attempt++) {
    backoff += config.PSP_RETRY_BACKOFF_MS * 2 ** (attempt - 1);
  }
  return config.PSP_TIMEOUT_MS * (config.PSP_MAX_ATTEMPTS + 1) + backoff;
}

export function lateChargeSchedule(config: PaymentsConfig): LateChargeSchedule {
  return {
    firstCheckMs: config.LATE_CHARGE_CHECK_MS,
    maxGapMs: config.LATE_CHARGE_CHECK_MAX_MS,
    horizonMs: config.LATE_CHARGE_HORIZON_MS,
  };
}
