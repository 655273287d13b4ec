import { Logger } from '@nestjs/common';
import type { RedisClient } from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import type { RateLimiterConfig } from '../config/rate-limiter.config';

// The one server at REDIS_URL, or a Redis Cluster when REDIS_CLUSTER_NODES is set.
export function createRateLimiterRedis(config: RateLimiterConfig): RedisClient {
  const client = createRedisClient({
    url: config.REDIS_URL,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    keyPrefix: config.REDIS_KEY_PREFIX,
    // Connect on the first command, so the app (and its unit tests) boot without Redis; the
    // limiters' failure policies decide while it is away.
    lazyConnect: true,
    // A decision never waits longer than REDIS_TIMEOUT_MS anyway; failing queued commands
    // early keeps the offline queue short during an outage.
    maxRetriesPerRequest: 1,
    // Decisions of concurrent requests that are issued in the same tick leave in one write:
    // a system call per decision cost more than the decision's own work in the service.
    enableAutoPipelining: true,
  });
  const logger = new Logger('Redis');
  let down = false;
  // One line per outage, not one per reconnect attempt.
  client.on('error', (error: Error) => {
    if (!down) logger.warn(`Redis unreachable: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('Redis reachable again');
    down = false;
  });
  return client;
}
