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

export const auctionConfigSchema = baseServiceConfig.extend({
  PORT: portVar(DEFAULT_PORTS.auction),
  // Auctions, accepted bids and the outbox.
  DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
  // Atomic bid check-and-write and the closer's leader lease.
  REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
  // AuctionClosed and bid events.
  KAFKA_BROKERS: brokerList(),
});

export type AuctionConfig = z.infer<typeof auctionConfigSchema>;

export const AUCTION_CONFIG = Symbol('AUCTION_CONFIG');
