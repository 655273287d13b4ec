import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from '@nestjs/common';
import type { RedisClient } from '@suite/coordination';
import { DevTokenSigner } from '@suite/service-kit';
import { OptionalBearerGuard } from './auth/optional-bearer.guard';
import type { GatewayConfig } from './config/gateway.config';
import { IssueDevTokenHttpController } from './dev-tokens/issue-dev-token.http.controller';
import { DEV_TOKEN_SIGNER, DEV_TOKEN_TTL_SECONDS, GATEWAY_CONFIG, REDIS } from './gateway.tokens';
import { IdempotencyKeyGuard } from './idempotency/idempotency-key.guard';
import { AnonymousRateLimit } from './limits/anonymous-rate-limit';
import { createGatewayRedis } from './limits/infra/gateway-redis';
import { RateLimitService } from './limits/infra/rate-limit.service';
import { RateLimitGuard } from './limits/rate-limit.guard';
import { GatewayMetricsServer } from './metrics/gateway-metrics.server';
import { AuctionHttpController } from './proxy/auction/auction.http.controller';
import { CrawlerHttpController } from './proxy/crawler/crawler.http.controller';
import { Upstreams } from './proxy/infra/upstreams';
import { PaymentsHttpController } from './proxy/payments/payments.http.controller';
import { ProxyRelay } from './proxy/proxy-relay';
import { RateLimitsHttpController } from './proxy/rate-limits/rate-limits.http.controller';
import { SchedulerHttpController } from './proxy/scheduler/scheduler.http.controller';
import { TicketingHttpController } from './proxy/ticketing/ticketing.http.controller';

// The proxied routes of every upstream, the rate limits in front of them over the gateway's
// Redis, and the development token endpoint when DEV_TOKENS=on.
@Module({})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  static register(config: GatewayConfig): DynamicModule {
    const controllers: Type[] = [
      TicketingHttpController,
      PaymentsHttpController,
      AuctionHttpController,
      RateLimitsHttpController,
      SchedulerHttpController,
      CrawlerHttpController,
    ];
    const providers: Provider[] = [
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: REDIS, useFactory: () => createGatewayRedis(config) },
      RateLimitService,
      AnonymousRateLimit,
      GatewayMetricsServer,
      OptionalBearerGuard,
      RateLimitGuard,
      IdempotencyKeyGuard,
      Upstreams,
      ProxyRelay,
    ];
    if (config.DEV_TOKENS === 'on' && config.DEV_TOKEN_PRIVATE_KEY !== undefined) {
      controllers.push(IssueDevTokenHttpController);
      providers.push(
        {
          provide: DEV_TOKEN_SIGNER,
          useValue: new DevTokenSigner({
            privateKeyPem: config.DEV_TOKEN_PRIVATE_KEY,
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            ttlSeconds: config.DEV_TOKEN_TTL_SECONDS,
          }),
        },
        { provide: DEV_TOKEN_TTL_SECONDS, useValue: config.DEV_TOKEN_TTL_SECONDS },
      );
    }
    return {
      module: GatewayModule,
      controllers,
      providers,
      exports: [GATEWAY_CONFIG],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
