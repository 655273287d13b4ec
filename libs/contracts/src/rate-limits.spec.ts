import {
  descriptorKey,
  parseRateLimitPolicyFile,
  rateLimitHeader,
  rateLimitPolicyHeader,
  retryAfterSeconds,
  selectPolicy,
} from './rate-limits';

const policy = (name: string, match: Record<string, string>) => ({
  name,
  match,
  algorithm: 'sliding-log' as const,
  limit: 10,
  windowMs: 60_000,
  failure: 'closed' as const,
});

describe('rate-limit policy file', () => {
  it('accepts domains of descriptor policies', () => {
    const parsed = parseRateLimitPolicyFile({
      version: 'v1',
      domains: [
        {
          domain: 'api',
          policies: [
            policy('per-user', { user: '*' }),
            { ...policy('holds', { route: 'POST /holds' }), algorithm: 'gcra', burst: 5 },
            { ...policy('keys', { api_key: '*' }), failure: 'open', fallback: { limit: 2 } },
          ],
        },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it('lists every issue with its path', () => {
    const parsed = parseRateLimitPolicyFile({
      domains: [
        {
          domain: 'api.v1',
          policies: [
            { ...policy('a', { user: '*' }), limit: 0 },
            { ...policy('b', { user: '*' }), burst: 3, fallback: { limit: 1 } },
          ],
        },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        'domains.0.domain: 1-32 of A-Z a-z 0-9 _ -',
        'domains.0.policies.0.limit: Number must be greater than 0',
        'domains.0.policies.1.burst: burst applies to algorithm gcra only',
        "domains.0.policies.1.fallback: a fallback limiter only applies to failure: 'open'",
      ]),
    );
  });

  it('refuses two policies with the same match, which would make one dead', () => {
    const parsed = parseRateLimitPolicyFile({
      domains: [
        { domain: 'api', policies: [policy('a', { user: '*' }), policy('b', { user: '*' })] },
      ],
    });
    expect(parsed).toEqual({
      ok: false,
      issues: ['domains.0.policies.1.match: policy "b" has the same match as "a"'],
    });
  });

  it('refuses unknown fields, so a misspelt limit is not ignored', () => {
    const parsed = parseRateLimitPolicyFile({
      domains: [{ domain: 'api', policies: [{ ...policy('a', { user: '*' }), limt: 5 }] }],
    });
    expect(parsed.ok).toBe(false);
  });
});

describe('descriptor matching', () => {
  const policies = [
    policy('any-route', { route: '*' }),
    policy('holds', { route: 'POST /holds' }),
    policy('user-route', { user: '*', route: '*' }),
  ];

  it('prefers the most specific policy with the same keys', () => {
    expect(selectPolicy(policies, { route: 'POST /holds' })?.name).toBe('holds');
    expect(selectPolicy(policies, { route: 'GET /events' })?.name).toBe('any-route');
    expect(selectPolicy(policies, { route: 'GET /events', user: 'u1' })?.name).toBe('user-route');
  });

  it('matches nothing when the keys differ', () => {
    expect(selectPolicy(policies, { user: 'u1' })).toBeUndefined();
    expect(selectPolicy(policies, { route: 'x', user: 'u', extra: 'e' })).toBeUndefined();
  });

  it('keys a descriptor the same whatever the entry order, and values cannot forge entries', () => {
    expect(descriptorKey({ user: 'u1', route: 'POST /holds' })).toBe(
      descriptorKey({ route: 'POST /holds', user: 'u1' }),
    );
    expect(descriptorKey({ user: 'a&route=b' })).not.toBe(descriptorKey({ user: 'a', route: 'b' }));
  });
});

describe('RateLimit header values', () => {
  it('formats the draft structured fields with seconds rounded up', () => {
    expect(rateLimitPolicyHeader([{ policy: 'api.user', limit: 100, windowMs: 60_000 }])).toBe(
      '"api.user";q=100;w=60',
    );
    expect(rateLimitHeader([{ policy: 'api.user', remaining: 3, resetMs: 11_001 }])).toBe(
      '"api.user";r=3;t=12',
    );
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1_500)).toBe(2);
  });
});
