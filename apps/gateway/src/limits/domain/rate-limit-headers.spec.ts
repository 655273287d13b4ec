import type { RateLimitDecision } from '@suite/coordination';
import type { CheckedPolicy } from '../infra/gateway-rate-limiter';
import { rateLimitHeaders } from './rate-limit-headers';

const checked = (name: string, overrides: Partial<RateLimitDecision> = {}): CheckedPolicy => ({
  name,
  windowMs: 60_000,
  decision: {
    allowed: true,
    policy: name,
    limit: 100,
    remaining: 3,
    resetMs: 11_200,
    retryAfterMs: 0,
    source: 'redis',
    nowMs: 0,
    ...overrides,
  },
});

describe('RateLimit headers', () => {
  it('writes the IETF draft format for one policy, named "<domain>.<policy>"', () => {
    expect(rateLimitHeaders([checked('gateway.per-user')])).toEqual({
      'ratelimit-policy': '"gateway.per-user";q=100;w=60',
      ratelimit: '"gateway.per-user";r=3;t=12',
    });
  });

  it('lists every policy checked, the one with the least left first', () => {
    const headers = rateLimitHeaders([
      checked('gateway.per-user'),
      checked('gateway.place-hold', { limit: 20, remaining: 0, resetMs: 500 }),
    ]);
    expect(headers['ratelimit-policy']).toBe(
      '"gateway.place-hold";q=20;w=60, "gateway.per-user";q=100;w=60',
    );
    expect(headers['ratelimit']).toBe('"gateway.place-hold";r=0;t=1, "gateway.per-user";r=3;t=12');
  });

  it('puts the denying policy first, with the time until a retry can pass', () => {
    const headers = rateLimitHeaders([
      checked('gateway.per-user', { remaining: 0 }),
      checked('gateway.place-hold', {
        allowed: false,
        limit: 20,
        remaining: 0,
        resetMs: 60_000,
        retryAfterMs: 2_100,
      }),
    ]);
    expect(headers['ratelimit']).toBe('"gateway.place-hold";r=0;t=3, "gateway.per-user";r=0;t=12');
  });

  it('of several denying policies, puts first the one a retry must wait longest for', () => {
    const headers = rateLimitHeaders([
      checked('gateway.place-hold', { allowed: false, remaining: 0, retryAfterMs: 2_100 }),
      checked('gateway.per-user', { allowed: false, remaining: 0, retryAfterMs: 40_000 }),
    ]);
    expect(headers['ratelimit']).toBe('"gateway.per-user";r=0;t=40, "gateway.place-hold";r=0;t=3');
  });

  it('sets nothing when no policy applied', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });
});
