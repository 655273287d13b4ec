// From a domain of a policy file (the format in @suite/contracts) to the policies a limiter
// runs. Both the rate-limiter service and the gateway read that format; this is the one
// place where a file's policy becomes a limiter's, so a policy the contract accepts but a
// limiter would refuse (say, a GCRA burst above its bound) is refused the same way by both.
import {
  limiterPolicyName,
  type DescriptorPolicy,
  type RateLimitPolicyFile,
} from '@suite/contracts';
import { InvalidRateLimitPolicyError, parseRateLimitPolicy, type RateLimitPolicy } from './policy';

export interface CompiledPolicy {
  domain: string;
  // The limiter's name for it (limiterPolicyName), part of every key it writes.
  name: string;
  definition: DescriptorPolicy;
  policy: RateLimitPolicy;
}

export type DomainCompile =
  | { ok: true; policies: CompiledPolicy[] }
  | { ok: false; issues: string[] };

// Compiles the file's domain at `index`; issues name the place in the file
// (`domains.<d>.policies.<p>.<field>: …`).
export function compileDomainPolicies(file: RateLimitPolicyFile, index: number): DomainCompile {
  const found = file.domains[index];
  if (found === undefined) return { ok: false, issues: [`domains.${index}: no such domain`] };
  const issues: string[] = [];
  const policies: CompiledPolicy[] = [];
  found.policies.forEach((definition, p) => {
    const name = limiterPolicyName(found.domain, definition.name);
    const { algorithm, limit, windowMs, burst, failure, fallback } = definition;
    try {
      const policy = parseRateLimitPolicy({
        name,
        algorithm,
        limit,
        windowMs,
        failure,
        ...(burst === undefined ? {} : { burst }),
        ...(fallback === undefined ? {} : { fallback }),
      });
      policies.push({ domain: found.domain, name, definition, policy });
    } catch (error) {
      if (!(error instanceof InvalidRateLimitPolicyError)) throw error;
      issues.push(...error.issues.map((issue) => `domains.${index}.policies.${p}.${issue}`));
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, policies };
}
