import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RedisClient } from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

// The gateway's one Redis connection: rate-limit counters only. Connected on first use,
// so an instance boots (and serves health) while Redis is still coming up; the limiter's
// timeout and failure policies decide what happens while it cannot answer.
@Injectable()
export class GatewayRedis implements OnApplicationShutdown {
  readonly client: RedisClient;
  private readonly logger = new Logger(GatewayRedis.name);
  private lastError = '';

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    // A Cluster client when REDIS_CLUSTER_NODES is set; the options mean the same for both.
    this.client = createRedisClient({
      url: config.REDIS_URL,
      clusterNodes: config.REDIS_CLUSTER_NODES,
      keyPrefix: config.REDIS_KEY_PREFIX,
      lazyConnect: true,
      // The limiter bounds each decision by its own timeout; ioredis should not also
      // hold commands for many retries.
      maxRetriesPerRequest: 1,
    });
    this.client.on('error', (error: Error) => {
      // One line per distinct error, not one per reconnect attempt.
      if (error.message !== this.lastError) {
        this.lastError = error.message;
        this.logger.warn(`Redis: ${error.message}`);
      }
    });
    this.client.on('ready', () => {
      this.lastError = '';
    });
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
