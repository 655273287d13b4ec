import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { AuthModule, DevTokenSigner, HealthModule, ObservabilityModule } from '@suite/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import {
  DEV_TOKEN_SIGNER,
  DEV_TOKEN_TTL_SECONDS,
  IssueDevTokenHttpController,
} from './dev-tokens/issue-dev-token.http.controller';
import { OptionalBearerGuard } from './auth/optional-bearer.guard';
import { IdempotencyKeyGuard } from './idempotency/idempotency-key.guard';
import { GatewayMetricsServer } from './metrics/gateway-metrics.server';
import { AuctionHttpController } from './proxy/auction.http.controller';
import { PaymentsHttpController } from './proxy/payments.http.controller';
import { ProxyRelay } from './proxy/proxy-relay';
import { RateLimitsHttpController } from './proxy/rate-limits.http.controller';
import { TicketingHttpController } from './proxy/ticketing.http.controller';
import { Upstreams } from './proxy/upstreams';
import { AnonymousRateLimit } from './rate-limits/anonymous-rate-limit';
import { RateLimitGuard } from './rate-limits/rate-limit.guard';
import { RateLimitService } from './rate-limits/rate-limit.service';
import { GatewayRedis } from './redis/gateway-redis';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: GatewayConfig): DynamicModule {
    const controllers: Type[] = [
      TicketingHttpController,
      PaymentsHttpController,
      AuctionHttpController,
      RateLimitsHttpController,
    ];
    const providers: Provider[] = [
      { provide: GATEWAY_CONFIG, useValue: config },
      GatewayRedis,
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
      module: AppModule,
      imports: [
        // Metrics go to their own loopback port (GatewayMetricsServer), not the API port.
        ObservabilityModule.forService('gateway', {
          logLevel: config.LOG_LEVEL,
          metricsRoute: 'none',
        }),
        HealthModule.forService('gateway'),
        // The gateway verifies with the public key, like every service: it cannot mint
        // tokens either, except through the development signer when that is enabled.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          maxTokenAgeSeconds: config.JWT_MAX_AGE_SECONDS,
        }),
      ],
      controllers,
      providers,
      exports: [GATEWAY_CONFIG],
    };
  }
}
