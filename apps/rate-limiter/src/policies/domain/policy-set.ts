import {
  selectPolicy,
  type DescriptorPolicy,
  type RateLimitDescriptor,
  type RateLimitPolicyFile,
} from '@suite/contracts';
import { compileDomainPolicies, type Limiter, type RateLimitPolicy } from '@suite/coordination';

// One policy of the loaded file, with the limiter that enforces it.
export interface ActivePolicy {
  domain: string;
  // The limiter's policy name: "<domain>.<policy>", part of every Redis key.
  name: string;
  match: RateLimitDescriptor;
  definition: DescriptorPolicy;
  limiter: Limiter;
  // The largest cost one request may ask for (GCRA: the burst).
  capacity: number;
}

export type LimiterFactory = (policy: RateLimitPolicy) => Limiter;

export type CompileOutcome = { ok: true; set: PolicySet } | { ok: false; issues: string[] };

// An immutable snapshot of the loaded policies. A reload builds a new one and swaps it in
// whole, so a check never sees half of one file and half of another.
export class PolicySet {
  private constructor(private readonly domains: ReadonlyMap<string, readonly ActivePolicy[]>) {}

  static empty(): PolicySet {
    return new PolicySet(new Map());
  }

  // Every policy is also checked by the library's own schema (e.g. GCRA's burst bound), so
  // a file that the contract accepts but the limiter would refuse fails here, at load time.
  // Limiters of policies whose definition did not change are kept, with their fallback
  // counts and their "Redis is down" state.
  static compile(
    file: RateLimitPolicyFile,
    createLimiter: LimiterFactory,
    previous: PolicySet = PolicySet.empty(),
  ): CompileOutcome {
    const issues: string[] = [];
    const domains = new Map<string, ActivePolicy[]>();
    file.domains.forEach(({ domain }, d) => {
      const compiled = compileDomainPolicies(file, d);
      if (!compiled.ok) {
        issues.push(...compiled.issues);
        return;
      }
      domains.set(
        domain,
        compiled.policies.map(({ name, definition, policy }) => {
          const kept = previous.find(domain, definition.name);
          const limiter =
            kept && sameDefinition(kept.definition, definition)
              ? kept.limiter
              : createLimiter(policy);
          const capacity =
            policy.algorithm === 'gcra' ? (policy.burst ?? policy.limit) : policy.limit;
          return { domain, name, match: definition.match, definition, limiter, capacity };
        }),
      );
    });
    return issues.length > 0 ? { ok: false, issues } : { ok: true, set: new PolicySet(domains) };
  }

  hasDomain(domain: string): boolean {
    return this.domains.has(domain);
  }

  domainNames(): string[] {
    return [...this.domains.keys()];
  }

  policies(domain: string): readonly ActivePolicy[] {
    return this.domains.get(domain) ?? [];
  }

  find(domain: string, policy: string): ActivePolicy | undefined {
    return this.policies(domain).find((p) => p.definition.name === policy);
  }

  // The policy that limits this descriptor in this domain, if any.
  select(domain: string, descriptor: RateLimitDescriptor): ActivePolicy | undefined {
    return selectPolicy(this.policies(domain), descriptor);
  }
}

const sameDefinition = (a: DescriptorPolicy, b: DescriptorPolicy) =>
  JSON.stringify(a) === JSON.stringify(b);
