import { Logger } from '@nestjs/common';
import type { RedisClient } from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import type { GatewayConfig } from '../../config/gateway.config';

// The gateway's one Redis connection: rate-limit counters only. It connects from boot, in
// the background, so an instance boots (and serves health) while Redis is still coming up;
// the limiter's timeout and failure policies decide what happens while it cannot answer. A
// Cluster client when REDIS_CLUSTER_NODES is set; the options mean the same for both.
export function createGatewayRedis(
  config: Pick<GatewayConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_KEY_PREFIX'>,
): RedisClient {
  const client = createRedisClient({
    url: config.REDIS_URL,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    keyPrefix: config.REDIS_KEY_PREFIX,
    lazyConnect: true,
    // The limiter bounds each decision by its own timeout; ioredis should not also
    // hold commands for many retries.
    maxRetriesPerRequest: 1,
    // Every check of a request is its own round trip; concurrent requests' checks issued in
    // one tick go out in one write instead of one write each.
    enableAutoPipelining: true,
  });
  const logger = new Logger('GatewayRedis');
  let lastError = '';
  client.on('error', (error: Error) => {
    // One line per distinct error, not one per reconnect attempt.
    if (error.message !== lastError) {
      lastError = error.message;
      logger.warn(`Redis: ${error.message}`);
    }
  });
  client.on('ready', () => {
    lastError = '';
  });
  // Not on the first request: connecting (for a Cluster client, its slot map and a
  // connection per node) can outlast RATE_LIMIT_REDIS_TIMEOUT_MS, and a policy that fails
  // closed (start-crawl) would refuse that request. A failed attempt is logged above, and
  // the client keeps reconnecting.
  client.connect().catch(() => undefined);
  return client;
}
