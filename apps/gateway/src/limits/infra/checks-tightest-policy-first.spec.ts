import { apiKeyDescriptorValue, type DescriptorPolicy } from '@suite/contracts';
import type { RateLimitDecision } from '@suite/coordination';
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
  const calls: Array<{ name: string; key: string }> = [];
  const denied = new Set<string>();
  const redis = new Redis({ lazyConnect: true });
  let limiter: GatewayRateLimiter;

  beforeAll(() => {
    limiter = new GatewayRateLimiter({
      redis,
      timeoutMs: 100,
      recheckMs: 500,
      limits: limitsOf(POLICIES),
      limiterFor: (p) => ({
        check: async (key: string): Promise<RateLimitDecision> => {
          calls.push({ name: p.name, key });
          const allowed = !denied.has(p.name);
          return {
            allowed,
            policy: p.name,
            limit: p.policy.limit,
            remaining: allowed ? 1 : 0,
            resetMs: 1_000,
            retryAfterMs: allowed ? 0 : 1_000,
            source: 'redis',
            nowMs: 0,
          };
        },
      }),
    });
  });

  beforeEach(() => {
    calls.length = 0;
    denied.clear();
  });

  afterAll(() => redis.disconnect());

  it('checks one policy per round trip, tightest first', async () => {
    const outcome = await limiter.check({
      userId: 'u1',
      apiKey: 'partner-secret',
      route: 'POST /holds',
    });
    expect(outcome.allowed).toBe(true);
    expect(calls.map((c) => c.name)).toEqual([
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
    expect(calls.map((c) => c.key)).toEqual([
      'route=POST%20%2Fholds&user=u1',
      'user=u1',
      `api_key=${apiKeyDescriptorValue('partner-secret')}`,
    ]);
    expect(calls[2]?.key).not.toContain('partner-secret');
  });

  it('stops at the first denial, spending nothing in the looser policies', async () => {
    denied.add('edge.place-hold');
    const outcome = await limiter.check({ userId: 'u1', apiKey: 'k', route: 'POST /holds' });
    expect(outcome).toMatchObject({ allowed: false, deniedBy: { name: 'edge.place-hold' } });
    expect(calls.map((c) => c.name)).toEqual(['edge.place-hold']);
  });

  it('checks only the user policy on a route without its own and without an API key', async () => {
    await limiter.check({ userId: 'u1', route: 'GET /events' });
    expect(calls.map((c) => c.name)).toEqual(['edge.per-user']);
  });

  it('counts a caller without a token by its address', async () => {
    await limiter.check({ clientIp: '10.0.0.7', route: 'GET /auctions' });
    expect(calls).toEqual([{ name: 'edge.anonymous', key: 'client_ip=10.0.0.7' }]);
  });
});
