import { parseRateLimitPolicyFile, type RateLimitPolicyFile } from '@suite/contracts';
import { compileDomainPolicies } from './policy-file';

// Read the way both readers read a file: through the contract's parser.
function policyFile(input: unknown): RateLimitPolicyFile {
  const parsed = parseRateLimitPolicyFile(input);
  if (!parsed.ok) throw new Error(parsed.issues.join('; '));
  return parsed.file;
}

const file = policyFile({
  domains: [
    {
      domain: 'edge',
      policies: [
        {
          name: 'per-user',
          match: { user: '*' },
          algorithm: 'sliding-counter',
          limit: 10,
          windowMs: 60_000,
          failure: 'open',
        },
      ],
    },
    {
      domain: 'broken',
      policies: [
        {
          name: 'ok',
          match: { ip: '*' },
          algorithm: 'fixed-window',
          limit: 5,
          windowMs: 1_000,
          failure: 'closed',
        },
        // The contract accepts it; GCRA does not: a burst of 100 at one an hour would take
        // 100 hours to refill, past the one-day bound.
        {
          name: 'bad',
          match: { user: '*' },
          algorithm: 'gcra',
          limit: 1,
          burst: 100,
          windowMs: 3_600_000,
          failure: 'closed',
        },
      ],
    },
  ],
});

describe('compileDomainPolicies', () => {
  it('turns-each-policy-of-a-domain-into-the-limiter-policy-named-after-both', () => {
    const compiled = compileDomainPolicies(file, 0);
    expect(compiled).toMatchObject({
      ok: true,
      policies: [{ domain: 'edge', policy: { algorithm: 'sliding-counter', limit: 10 } }],
    });
  });

  it('names-the-place-in-the-file-of-every-policy-a-limiter-would-refuse', () => {
    const compiled = compileDomainPolicies(file, 1);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.issues.length).toBeGreaterThan(0);
    for (const issue of compiled.issues) expect(issue).toMatch(/^domains\.1\.policies\.1\./);
  });

  it('a-domain-index-outside-the-file-is-an-issue-not-a-throw', () => {
    expect(compileDomainPolicies(file, 7)).toEqual({
      ok: false,
      issues: ['domains.7: no such domain'],
    });
  });
});
