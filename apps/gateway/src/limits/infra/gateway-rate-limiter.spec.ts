import { apiKeyDescriptorValue, type DescriptorPolicy } from '@suite/contracts';
import type { LimiterSetDecision, PolicyCheck, RateLimitDecision } from '@suite/coordination';
import Redis from 'ioredis';
import { compileRateLimits, type GatewayRateLimits } from '../../config/rate-limits.config';
import { GatewayRateLimiter } from './gateway-rate-limiter';

const policy = (name: string, match: Record<string, string>, limit: number): DescriptorPolicy => ({
  name,
  match,
  algorithm: 'sliding-log',
  limit,
  windowMs: 60_000,
  failure: 'open',
});

const POLICIES = [
  policy('per-user', { user: '*' }, 100),
  policy('per-api-key', { api_key: '*' }, 1_000),
  policy('place-hold', { user: '*', route: 'POST /holds' }, 20),
  policy('anonymous', { client_ip: '*' }, 50),
];

function limitsOf(policies: DescriptorPolicy[]): GatewayRateLimits {
  const compiled = compileRateLimits({ domains: [{ domain: 'edge', policies }] }, 'edge', 'test');
  if (!compiled.ok) throw new Error(compiled.issues.join('\n'));
  return compiled.limits;
}

describe('GatewayRateLimiter', () => {
  const asked: PolicyCheck[][] = [];
  const denied = new Map<string, number>();
  const redis = new Redis({ lazyConnect: true });
  let limiter: GatewayRateLimiter;

  // Stands in for the library's limiter set, which the integration specs run on Redis.
  const decision = (check: PolicyCheck): RateLimitDecision => {
    const wait = denied.get(check.policy);
    return {
      allowed: wait === undefined,
      policy: check.policy,
      limit: 10,
      remaining: wait === undefined ? 1 : 0,
      resetMs: 1_000,
      retryAfterMs: wait ?? 0,
      source: 'redis',
      nowMs: 0,
    };
  };

  beforeAll(() => {
    limiter = new GatewayRateLimiter({
      redis,
      timeoutMs: 100,
      recheckMs: 500,
      limits: limitsOf(POLICIES),
      limiterSetFor: () => ({
        check: async (checks: readonly PolicyCheck[]): Promise<LimiterSetDecision> => {
          asked.push([...checks]);
          const decisions = checks.map(decision);
          return { allowed: decisions.every((d) => d.allowed), decisions, mode: 'together' };
        },
      }),
    });
  });

  beforeEach(() => {
    asked.length = 0;
    denied.clear();
  });

  afterAll(() => redis.disconnect());

  it('asks every policy that applies at once, tightest first', async () => {
    const outcome = await limiter.check({
      userId: 'u1',
      apiKey: 'partner-secret',
      route: 'POST /holds',
    });
    expect(outcome.allowed).toBe(true);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.map((c) => c.policy)).toEqual([
      'edge.place-hold',
      'edge.per-user',
      'edge.per-api-key',
    ]);
    expect(outcome.checked.map((c) => c.name)).toEqual([
      'edge.place-hold',
      'edge.per-user',
      'edge.per-api-key',
    ]);
  });

  it('keys each policy by the descriptor it matched, the API key only by its digest', async () => {
    await limiter.check({ userId: 'u1', apiKey: 'partner-secret', route: 'POST /holds' });
    expect(asked[0]?.map((c) => c.key)).toEqual([
      'route=POST%20%2Fholds&user=u1',
      'user=u1',
      `api_key=${apiKeyDescriptorValue('partner-secret')}`,
    ]);
    expect(asked[0]?.[2]?.key).not.toContain('partner-secret');
  });

  it('names the refusing policy; of several, the one with the longest wait', async () => {
    denied.set('edge.place-hold', 3_000);
    const outcome = await limiter.check({ userId: 'u1', apiKey: 'k', route: 'POST /holds' });
    expect(outcome).toMatchObject({ allowed: false, deniedBy: { name: 'edge.place-hold' } });
    expect(outcome.checked).toHaveLength(3);
    denied.set('edge.per-user', 9_000);
    expect(await limiter.check({ userId: 'u1', apiKey: 'k', route: 'POST /holds' })).toMatchObject({
      allowed: false,
      deniedBy: { name: 'edge.per-user', windowMs: 60_000 },
    });
  });

  it('checks only the user policy on a route without its own and without an API key', async () => {
    await limiter.check({ userId: 'u1', route: 'GET /events' });
    expect(asked).toEqual([[{ policy: 'edge.per-user', key: 'user=u1' }]]);
  });

  it('counts a caller without a token by its address', async () => {
    await limiter.check({ clientIp: '10.0.0.7', route: 'GET /auctions' });
    expect(asked).toEqual([[{ policy: 'edge.anonymous', key: 'client_ip=10.0.0.7' }]]);
  });
});
