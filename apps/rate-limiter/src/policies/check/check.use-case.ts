import { Injectable } from '@nestjs/common';
import {
  descriptorKey,
  rateLimitHeader,
  rateLimitPolicyHeader,
  retryAfterSeconds,
  type RateLimitDescriptor,
} from '@suite/contracts';
import type { DecisionSource, RateLimitDecision } from '@suite/coordination';
import type { AuthenticatedUser } from '@suite/service-kit';
import { firstForeignDescriptor, type ForeignDescriptor } from '../domain/callers-own-descriptors';
import type { ActivePolicy } from '../domain/policy-set';
import { PolicyRegistry } from '../infra/policy-registry';
import { DecisionMetrics } from '../infra/decision.metrics';

export interface CheckCommand {
  // Whose token asks: only an operator may name descriptors other than its own.
  caller: AuthenticatedUser;
  domain: string;
  descriptors: RateLimitDescriptor[];
  cost?: number;
}

// One descriptor's decision by the policy that matched it.
export interface PolicyResult {
  descriptor: number;
  policy: string;
  algorithm: string;
  allowed: boolean;
  limit: number;
  windowMs: number;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  source: DecisionSource;
  // The time the decision used: Redis TIME when source is 'redis', one clock for every
  // instance; this process's clock otherwise.
  nowMs: number;
}

export interface CheckDecision {
  allowed: boolean;
  // The policy that decided: the denying one with the longest wait, else the one with the
  // least left; null when no policy matched.
  policy: string | null;
  remaining: number | null;
  resetMs: number;
  retryAfterMs: number;
  source: DecisionSource | null;
  reason: string;
  nowMs: number | null;
  policiesHash: string;
  results: PolicyResult[];
  headers: Record<string, string>;
}

export type CheckOutcome =
  | { kind: 'decided'; decision: CheckDecision }
  | ForeignDescriptor
  | { kind: 'unknown-domain'; domain: string; known: string[] }
  | { kind: 'cost-too-high'; policy: string; cost: number; capacity: number };

@Injectable()
export class CheckUseCase {
  constructor(
    private readonly registry: PolicyRegistry,
    private readonly metrics: DecisionMetrics,
  ) {}

  async execute({ caller, domain, descriptors, cost = 1 }: CheckCommand): Promise<CheckOutcome> {
    const foreign = firstForeignDescriptor(caller, descriptors);
    if (foreign) return foreign;
    // One snapshot for the whole request, even if a reload swaps the set meanwhile.
    const set = this.registry.current;
    const policiesHash = this.registry.loaded.hash;
    if (!set.hasDomain(domain)) {
      return { kind: 'unknown-domain', domain, known: set.domainNames() };
    }
    const matched: { descriptor: number; key: string; policy: ActivePolicy }[] = [];
    descriptors.forEach((descriptor, i) => {
      const policy = set.select(domain, descriptor);
      if (policy) matched.push({ descriptor: i, key: descriptorKey(descriptor), policy });
    });
    // Checked before any limiter runs, so an impossible cost spends nothing anywhere.
    const tooSmall = matched.find(({ policy }) => cost > policy.capacity);
    if (tooSmall) {
      const { policy } = tooSmall;
      return { kind: 'cost-too-high', policy: policy.name, cost, capacity: policy.capacity };
    }
    if (matched.length === 0) {
      return {
        kind: 'decided',
        decision: {
          allowed: true,
          policy: null,
          remaining: null,
          resetMs: 0,
          retryAfterMs: 0,
          source: null,
          reason: 'no policy matches these descriptors',
          nowMs: null,
          policiesHash,
          results: [],
          headers: {},
        },
      };
    }
    // Every matching policy decides, concurrently (one Redis round trip each). As in
    // Envoy's rate-limit service, a policy that admits has spent its units even when
    // another policy denies the request.
    const decisions = await Promise.all(
      matched.map(({ policy, key }) => policy.limiter.check(key, { cost })),
    );
    const results = decisions.map((d, i) => {
      const { policy, descriptor } = matched[i] as (typeof matched)[number];
      this.metrics.record(d);
      return toResult(descriptor, policy, d);
    });
    return { kind: 'decided', decision: decide(results, policiesHash) };
  }
}

function toResult(descriptor: number, policy: ActivePolicy, d: RateLimitDecision): PolicyResult {
  return {
    descriptor,
    policy: d.policy,
    algorithm: policy.definition.algorithm,
    allowed: d.allowed,
    limit: d.limit,
    windowMs:
      d.source === 'fallback'
        ? (policy.definition.fallback?.windowMs ?? policy.definition.windowMs)
        : policy.definition.windowMs,
    remaining: d.remaining,
    resetMs: d.resetMs,
    retryAfterMs: d.retryAfterMs,
    source: d.source,
    nowMs: d.nowMs,
  };
}

function decide(results: PolicyResult[], policiesHash: string): CheckDecision {
  const denied = results.filter((r) => !r.allowed);
  const decider = (
    denied.length > 0
      ? denied.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a))
      : results.reduce((a, b) => (b.remaining < a.remaining ? b : a))
  ) as PolicyResult;
  // The decider first, then every other policy that counted this request.
  const ordered = [decider, ...results.filter((r) => r !== decider)];
  const headers: Record<string, string> = {
    'RateLimit-Policy': rateLimitPolicyHeader(ordered),
    RateLimit: rateLimitHeader(
      ordered.map((r) => ({
        policy: r.policy,
        remaining: r.remaining,
        resetMs: r.allowed ? r.resetMs : r.retryAfterMs,
      })),
    ),
  };
  if (!decider.allowed) headers['Retry-After'] = String(retryAfterSeconds(decider.retryAfterMs));
  return {
    allowed: decider.allowed,
    policy: decider.policy,
    remaining: decider.remaining,
    resetMs: decider.resetMs,
    retryAfterMs: decider.retryAfterMs,
    source: decider.source,
    reason: reasonFor(decider),
    nowMs: decider.nowMs,
    policiesHash,
    results,
    headers,
  };
}

function reasonFor(r: PolicyResult): string {
  const window = `${r.limit} per ${r.windowMs} ms`;
  switch (r.source) {
    case 'redis':
      return r.allowed ? `within limit (${window})` : `over limit (${window})`;
    case 'fallback':
      return r.allowed
        ? `Redis unavailable: admitted by this instance's fallback limit (${window})`
        : `Redis unavailable: this instance's fallback limit is spent (${window})`;
    case 'failure-policy':
      return r.allowed
        ? 'Redis unavailable: policy fails open, admitted without counting'
        : 'Redis unavailable: policy fails closed, denied until Redis answers';
  }
}
