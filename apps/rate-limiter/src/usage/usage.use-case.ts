import { Inject, Injectable } from '@nestjs/common';
import { descriptorKey, type RateLimitDescriptor } from '@suite/contracts';
import type { RedisClient } from '@suite/coordination';
import { RATE_LIMITER_CONFIG, type RateLimiterConfig } from '../config/rate-limiter.config';
import { PolicyRegistry } from '../policies/policy-registry';
import { REDIS } from '../rate-limiter.tokens';
import { readUsage } from './infra/usage.reader';

export interface DescriptorUsage {
  descriptor: RateLimitDescriptor;
  // null when no policy of the domain matches the descriptor.
  policy: string | null;
  algorithm?: string;
  limit?: number;
  windowMs?: number;
  used?: number;
  remaining?: number;
  resetMs?: number;
  nowMs?: number;
}

export type UsageOutcome =
  | { kind: 'read'; domain: string; policiesHash: string; usage: DescriptorUsage[] }
  | { kind: 'unknown-domain'; domain: string; known: string[] }
  | { kind: 'redis-unavailable'; reason: string };

@Injectable()
export class UsageUseCase {
  constructor(
    private readonly registry: PolicyRegistry,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RATE_LIMITER_CONFIG) private readonly config: RateLimiterConfig,
  ) {}

  // Read-only: nothing is spent, no window is rolled over.
  async execute(domain: string, descriptors: RateLimitDescriptor[]): Promise<UsageOutcome> {
    const set = this.registry.current;
    if (!set.hasDomain(domain)) return { kind: 'unknown-domain', domain, known: set.domainNames() };
    try {
      const usage = await Promise.all(
        descriptors.map(async (descriptor): Promise<DescriptorUsage> => {
          const policy = set.select(domain, descriptor);
          if (!policy) return { descriptor, policy: null };
          const read = await withTimeout(
            readUsage(this.redis, policy, descriptorKey(descriptor)),
            this.config.REDIS_TIMEOUT_MS,
          );
          const { algorithm, limit, windowMs } = policy.definition;
          return { descriptor, policy: policy.name, algorithm, limit, windowMs, ...read };
        }),
      );
      return { kind: 'read', domain, policiesHash: this.registry.loaded.hash, usage };
    } catch (error) {
      // No fallback for a read: the shared count is the only truth there is.
      return {
        kind: 'redis-unavailable',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
