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

export const crawlerConfigSchema = baseServiceConfig
  .extend({
    PORT: portVar(DEFAULT_PORTS.crawler),
    // Crawls, the frontier, robots rules and the partitions' fences.
    DATABASE_URL: urlVar({ protocols: POSTGRES_PROTOCOLS }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
    // Membership, partition claims and the per-host politeness windows.
    REDIS_URL: urlVar({ protocols: REDIS_PROTOCOLS }),
    REDIS_KEY_PREFIX: z.string().default(''),
    REDIS_CLUSTER_NODES: brokerList().optional(),
    JWT_PUBLIC_KEY: pemVar('PUBLIC KEY'),
    JWT_ISSUER: z.string().min(1).default('suite'),
    JWT_AUDIENCE: z.string().min(1).default('suite'),
    // Every *.web.test host is fetched from 127.0.0.1 on this port (the web simulator).
    WEB_SIMULATOR_PORT: portVar(DEFAULT_PORTS['web-simulator']),
    // off: this instance serves the API only and fetches nothing.
    CRAWLER_WORKER: z.enum(['on', 'off']).default('on'),
    // naive: FOR TESTS ONLY, no partitions, no claims, no fence, a per-process limiter.
    CRAWLER_MODE: z.enum(['fenced', 'naive']).default('fenced'),
    // Fixed for the life of the frontier: a host's partition is partitionOf(host, this).
    CRAWLER_PARTITIONS: z.coerce.number().int().min(1).max(4096).default(32),
    // Requests in flight at once per instance, each to a different host.
    CRAWLER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    // A dead worker's partitions are claimed by the others within about this long.
    CRAWLER_LEASE_MS: durationMsVar({ default: 3_000, min: 300 }),
    CRAWLER_HEARTBEAT_MS: durationMsVar({ default: 1_000, min: 50 }),
    // Added to each crawl's interval: the limiter decides in Redis, the host counts arrivals.
    // A loaded 2-core machine delivered requests over 20 ms after their send (README).
    CRAWLER_GUARD_MS: durationMsVar({ default: 50, min: 0, max: 10_000 }),
    CRAWLER_FETCH_TIMEOUT_MS: durationMsVar({ default: 5_000, min: 100, max: 60_000 }),
    CRAWLER_IDLE_MS: durationMsVar({ default: 20, min: 1, max: 10_000 }),
    // A file to append one JSON line per request sent to (member, URL, admitted and sent
    // wall-clock ms), for investigations; unset: none.
    CRAWLER_TRACE_FILE: z.string().min(1).optional(),
    // Names this member in the group; default crawler-<pid>-<random>.
    CRAWLER_MEMBER_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
  })
  .refine((c) => c.CRAWLER_HEARTBEAT_MS < (c.CRAWLER_LEASE_MS * 4) / 5, {
    message: 'CRAWLER_HEARTBEAT_MS must be below 4/5 of CRAWLER_LEASE_MS',
    path: ['CRAWLER_HEARTBEAT_MS'],
  });

export type CrawlerConfig = z.infer<typeof crawlerConfigSchema>;
