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
import { z } from 'zod';

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);

export const auctionConfigSchema = baseServiceConfig
  .extend({
    PORT: portVar(DEFAULT_PORTS.auction),
    // Auctions, accepted bids, the closer's fence and the outbox.
    DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
    // The closer's leader lease (fenced holds).
    REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
    // Prefix of every Redis key the service writes (tests isolate themselves with it).
    REDIS_KEY_PREFIX: z.string().default(''),
    // Redis Cluster seed nodes, comma-separated host:port. Set: a Cluster client (REDIS_URL
    // then lends only its scheme and credentials); unset: the one server at REDIS_URL.
    REDIS_CLUSTER_NODES: brokerList().optional(),
    // AuctionClosed, through the outbox relay.
    KAFKA_BROKERS: brokerList(),
    AUCTION_EVENTS_TOPIC: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'must be a Kafka topic name')
      .default(TOPICS.auctionEvents),
    // The issuer's ES256 public key: the service verifies tokens, it can never mint one.
    JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
    JWT_ISSUER: z.string().min(1).default('suite'),
    JWT_AUDIENCE: z.string().min(1).default('suite'),
    // atomic: the bid is decided under the auction's row lock. naive: read, then write with
    // no check, for the demo and the verifier's test only. Never in production.
    BID_MODE: z.enum(['atomic', 'naive']).default('atomic'),
    // off: this instance never closes auctions (another one does).
    CLOSER: onOff('on'),
    // A dead closer is replaced within this, plus one renewal attempt.
    CLOSER_LEASE_TTL_MS: durationMsVar({ default: 5_000, min: 300 }),
    // The longest the leader sleeps between looks for due auctions.
    CLOSER_POLL_MS: durationMsVar({ default: 250, min: 5, max: 60_000 }),
    OUTBOX_RELAY: onOff('on'),
    OUTBOX_RELAY_LEASE_TTL_MS: durationMsVar({ default: 10_000, min: 300 }),
  })
  .refine((c) => c.CLOSER_POLL_MS < c.CLOSER_LEASE_TTL_MS, {
    message: 'CLOSER_POLL_MS must be below CLOSER_LEASE_TTL_MS',
    path: ['CLOSER_POLL_MS'],
  });

export type AuctionConfig = z.infer<typeof auctionConfigSchema>;
