import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createLimiter, type RedisClient } from '@suite/coordination';
import type { RateLimiterConfig } from '../config/rate-limiter.config';
import { REDIS } from '../rate-limiter.tokens';
import { PoliciesHttpController } from './admin/policies.http.controller';
import { PolicyRegistry } from './infra/policy-registry';

@Module({})
export class PoliciesModule implements OnApplicationShutdown {
  constructor(@Inject(PolicyRegistry) private readonly registry: PolicyRegistry) {}

  static register(config: RateLimiterConfig): DynamicModule {
    return {
      module: PoliciesModule,
      controllers: [PoliciesHttpController],
      providers: [
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
      ],
      exports: [PolicyRegistry],
    };
  }

  onApplicationShutdown(): void {
    this.registry.stop();
  }
}
