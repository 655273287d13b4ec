import { DEFAULT_PORTS } from '@suite/contracts';
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
import { z } from 'zod';

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);

// Comma-separated http origins ("http://127.0.0.1:3006"), or "none". A job's callback URL must
// be on one of them, so a caller cannot make the scheduler send requests where it likes.
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
        if (!url || url.protocol !== 'http:' || url.pathname !== '/' || url.search || url.hash) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `"${entry}" is not an http origin (http://host[:port], no path)`,
          });
          continue;
        }
        origins.push(url.origin);
      }
      return origins;
    });

export const schedulerConfigSchema = baseServiceConfig
  .extend({
    PORT: portVar(DEFAULT_PORTS.scheduler),
    // Jobs, their fires, the partitions' fences and the sink's deliveries.
    DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
    // Membership leases and the partitions' holds.
    REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
    // Prefix of every Redis key the service writes (tests isolate themselves with it).
    REDIS_KEY_PREFIX: z.string().default(''),
    // Jobs whose target is a Kafka topic.
    KAFKA_BROKERS: brokerList(),
    // A job's topic must start with this, so a caller cannot write into another service's
    // topics ('' allows any topic).
    KAFKA_TOPIC_PREFIX: z.string().default('scheduled.'),
    // The issuer's ES256 public key: the service verifies tokens, it can never mint one.
    JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
    JWT_ISSUER: z.string().min(1).default('suite'),
    JWT_AUDIENCE: z.string().min(1).default('suite'),
    // How many partitions the jobs are spread over (job -> partitionOf(jobId)). Every
    // instance of one deployment must agree on it; changing it needs an empty jobs table.
    SCHEDULER_PARTITIONS: z.coerce.number().int().min(1).max(4096).default(64),
    // off: this instance serves the API and the sink and never fires (another one does).
    FIRING: onOff('on'),
    // assigned: fire only the jobs of partitions this instance owns, each write fenced.
    // naive: fire every due job, unfenced, with a fresh key per delivery; for the verifier's
    // test only. Never in production.
    FIRE_MODE: z.enum(['assigned', 'naive']).default('assigned'),
    // A dead instance's partitions are owned again within about this.
    LEASE_TTL_MS: durationMsVar({ default: 3_000, min: 300 }),
    // The longest the firing loop sleeps between looks for due jobs.
    POLL_MS: durationMsVar({ default: 50, min: 5, max: 60_000 }),
    // Due jobs claimed per partition per transaction.
    FIRE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    // A fire claimed but not marked delivered after this is delivered again by its owner.
    REDELIVER_AFTER_MS: durationMsVar({ default: 10_000, min: 100 }),
    DELIVERY_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 50, max: 60_000 }),
    // Concurrent HTTP callbacks per instance.
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(64),
    // The only origins a job's callback may name. Default: this service's own sink.
    CALLBACK_ORIGINS: originList(`http://127.0.0.1:${DEFAULT_PORTS.scheduler}`),
    // The loopback sink (POST /sink/deliveries) that counts deliveries per idempotency key.
    SINK: onOff('on'),
  })
  .refine((c) => c.POLL_MS < c.LEASE_TTL_MS, {
    message: 'POLL_MS must be below LEASE_TTL_MS',
    path: ['POLL_MS'],
  });

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
