import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { createLimiter, type RedisClient } from '@suite/coordination';
import { ReadinessRegistry, redisReadinessCheck } from '@suite/service-kit';
import type { RateLimiterConfig } from './config/rate-limiter.config';
import { PoliciesHttpController } from './policies/admin/policies.http.controller';
import { CheckHttpController } from './policies/check/check.http.controller';
import { CheckUseCase } from './policies/check/check.use-case';
import { DecisionMetrics } from './policies/infra/decision.metrics';
import { PolicyRegistry } from './policies/infra/policy-registry';
import { UsageHttpController } from './policies/usage/usage.http.controller';
import { UsageUseCase } from './policies/usage/usage.use-case';
import { RATE_LIMITER_CONFIG, REDIS } from './rate-limiter.tokens';
import { createRateLimiterRedis } from './redis/rate-limiter-redis';

// Checks, usage reads and the policy admin API over the policy file and the shared Redis.
@Module({})
export class RateLimiterModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly registry: PolicyRegistry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  static register(config: RateLimiterConfig): DynamicModule {
    return {
      module: RateLimiterModule,
      controllers: [CheckHttpController, UsageHttpController, PoliciesHttpController],
      providers: [
        { provide: RATE_LIMITER_CONFIG, useValue: config },
        { provide: REDIS, useFactory: () => createRateLimiterRedis(config) },
        {
          provide: PolicyRegistry,
          inject: [REDIS],
          // Loaded before the app listens: a bad file stops the boot with its issues.
          useFactory: async (redis: RedisClient) => {
            const registry = new PolicyRegistry(config.POLICY_FILE, (policy) =>
              createLimiter({
                redis,
                policy,
                timeoutMs: config.REDIS_TIMEOUT_MS,
                recheckMs: config.REDIS_RECHECK_MS,
              }),
            );
            await registry.load();
            registry.watch(config.POLICY_RELOAD_INTERVAL_MS);
            return registry;
          },
        },
        DecisionMetrics,
        CheckUseCase,
        UsageUseCase,
      ],
    };
  }

  onModuleInit(): void {
    this.readiness.register('redis', redisReadinessCheck(this.redis));
  }

  onApplicationShutdown(): void {
    this.registry.stop();
    this.redis.disconnect();
  }
}
