import {
  apiKeyDescriptorValue,
  descriptorKey,
  parseRateLimitPolicyFile,
  rateLimitHeader,
  rateLimitPolicyHeader,
  requestDescriptors,
  retryAfterSeconds,
  routeDescriptorValue,
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

describe('request descriptors', () => {
  const route = routeDescriptorValue('post', '/auctions/:auctionId/bids');

  it('names a route by its method and path template', () => {
    expect(route).toBe('POST /auctions/:auctionId/bids');
  });

  it('describes a signed-in caller, the route and the API key, each with its own keys', () => {
    const descriptors = requestDescriptors({ userId: 'u1', apiKey: 'partner-secret', route });
    const digest = apiKeyDescriptorValue('partner-secret');
    expect(descriptors).toEqual([
      { user: 'u1' },
      { user: 'u1', route },
      { route },
      { api_key: digest },
      { api_key: digest, route },
    ]);
    expect(JSON.stringify(descriptors)).not.toContain('partner-secret');
    expect(digest).toHaveLength(32);
    const keySets = descriptors.map((d) => Object.keys(d).sort().join(','));
    expect(new Set(keySets).size).toBe(keySets.length);
  });

  it('describes a caller without a token by its address, and never by both', () => {
    expect(requestDescriptors({ clientIp: '10.0.0.7', route })).toEqual([
      { client_ip: '10.0.0.7' },
      { client_ip: '10.0.0.7', route },
      { route },
    ]);
    expect(requestDescriptors({ userId: 'u1', clientIp: '10.0.0.7', route })[0]).toEqual({
      user: 'u1',
    });
  });

  it('selects at most one policy per descriptor, as the rate-limiter service does', () => {
    const policies = [
      policy('per-user', { user: '*' }),
      policy('bids', { user: '*', route: 'POST /auctions/:auctionId/bids' }),
    ];
    const selected = requestDescriptors({ userId: 'u1', route }).map(
      (d) => selectPolicy(policies, d)?.name,
    );
    expect(selected).toEqual(['per-user', 'bids', undefined]);
  });
});
