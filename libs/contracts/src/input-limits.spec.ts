import { RATE_LIMIT_DOMAIN_NAME } from './input-limits';
import { rateLimitDomainSchema } from './rate-limits';

const POLICY = {
  name: 'per-user',
  match: { user: '*' },
  algorithm: 'fixed-window',
  limit: 10,
  windowMs: 1000,
  failure: 'open',
};

describe('RATE_LIMIT_DOMAIN_NAME', () => {
  it.each(['api', 'A_b-9', 'x'.repeat(32), '', 'x'.repeat(33), 'a.b', 'a b', 'café', 'a\u0000'])(
    'accepts %j exactly when a policy file would',
    (domain) => {
      const inPolicyFile = rateLimitDomainSchema.safeParse({ domain, policies: [POLICY] }).success;
      expect(RATE_LIMIT_DOMAIN_NAME.pattern.test(domain)).toBe(inPolicyFile);
    },
  );
});
