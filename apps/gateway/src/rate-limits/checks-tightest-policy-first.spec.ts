import type { RateLimitDecision } from '@suite/coordination';
import Redis from 'ioredis';
import { GatewayRateLimiter } from './gateway-rate-limiter';
import type { GatewayPolicy } from './rate-limits.config';

const policy = (label: string, scope: GatewayPolicy['scope'], limit: number): GatewayPolicy => ({
  scope,
  label,
  ...(scope === 'route' ? { routeId: label } : {}),
  policy: {
    name: `gateway.${label}`,
    algorithm: 'sliding-log',
    limit,
    windowMs: 60_000,
    failure: 'open',
  },
});

describe('GatewayRateLimiter', () => {
  const calls: Array<{ label: string; key: string }> = [];
  const denied = new Set<string>();
  const redis = new Redis({ lazyConnect: true });
  const limiter = new GatewayRateLimiter({
    redis,
    timeoutMs: 100,
    recheckMs: 500,
    config: {
      policies: [
        policy('user', 'user', 100),
        policy('api-key', 'api-key', 1_000),
        policy('holds.place', 'route', 20),
      ],
    },
    limiterFor: (p) => ({
      check: async (key: string): Promise<RateLimitDecision> => {
        calls.push({ label: p.label, key });
        const allowed = !denied.has(p.label);
        return {
          allowed,
          policy: p.policy.name,
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

  beforeEach(() => {
    calls.length = 0;
    denied.clear();
  });

  afterAll(() => redis.disconnect());

  it('checks one policy per round trip, tightest first', async () => {
    const outcome = await limiter.check({
      userId: 'u1',
      apiKey: 'partner-secret',
      routeId: 'holds.place',
    });
    expect(outcome.allowed).toBe(true);
    expect(calls.map((c) => c.label)).toEqual(['holds.place', 'user', 'api-key']);
    expect(outcome.checked.map((c) => c.label)).toEqual(['holds.place', 'user', 'api-key']);
  });

  it('keys user and route policies by user and the API key policy by a digest of the key', async () => {
    await limiter.check({ userId: 'u1', apiKey: 'partner-secret', routeId: 'holds.place' });
    expect(calls[0]?.key).toBe('u1');
    expect(calls[1]?.key).toBe('u1');
    expect(calls[2]?.key).not.toContain('partner-secret');
    expect(calls[2]?.key).toHaveLength(32);
  });

  it('stops at the first denial, spending nothing in the looser policies', async () => {
    denied.add('holds.place');
    const outcome = await limiter.check({ userId: 'u1', apiKey: 'k', routeId: 'holds.place' });
    expect(outcome).toMatchObject({ allowed: false, deniedBy: { label: 'holds.place' } });
    expect(calls.map((c) => c.label)).toEqual(['holds.place']);
  });

  it('checks only the user policy on a route without its own and without an API key', async () => {
    await limiter.check({ userId: 'u1', routeId: 'events.list' });
    expect(calls.map((c) => c.label)).toEqual(['user']);
  });
});
