import { Injectable } from '@nestjs/common';
import { descriptorKey, type RateLimitDescriptor } from '@suite/contracts';
import type { AuthenticatedUser } from '@suite/service-kit';
import { firstForeignDescriptor, type ForeignDescriptor } from '../domain/callers-own-descriptors';
import { PolicyRegistry } from '../infra/policy-registry';

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

export interface UsageCommand {
  // Whose token asks: only an operator may read descriptors other than its own.
  caller: AuthenticatedUser;
  domain: string;
  descriptors: RateLimitDescriptor[];
}

export type UsageOutcome =
  | { kind: 'read'; domain: string; policiesHash: string; usage: DescriptorUsage[] }
  | ForeignDescriptor
  | { kind: 'unknown-domain'; domain: string; known: string[] }
  | { kind: 'redis-unavailable'; reason: string };

@Injectable()
export class UsageUseCase {
  constructor(private readonly registry: PolicyRegistry) {}

  // Read-only: each policy's limiter peeks, with its own key layout and window math, and
  // within the limiter's Redis timeout (REDIS_TIMEOUT_MS). Nothing is spent, no window is
  // rolled over.
  async execute({ caller, domain, descriptors }: UsageCommand): Promise<UsageOutcome> {
    const foreign = firstForeignDescriptor(caller, descriptors);
    if (foreign) return foreign;
    const set = this.registry.current;
    if (!set.hasDomain(domain)) return { kind: 'unknown-domain', domain, known: set.domainNames() };
    try {
      const usage = await Promise.all(
        descriptors.map(async (descriptor): Promise<DescriptorUsage> => {
          const policy = set.select(domain, descriptor);
          if (!policy) return { descriptor, policy: null };
          const { used, remaining, resetMs, nowMs } = await policy.limiter.peek(
            descriptorKey(descriptor),
          );
          const { algorithm, limit, windowMs } = policy.definition;
          return {
            descriptor,
            policy: policy.name,
            algorithm,
            limit,
            windowMs,
            used,
            remaining,
            resetMs,
            nowMs,
          };
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
