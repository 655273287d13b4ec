import type { RateLimitDecision } from '@suite/coordination';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers';

const decision = (overrides: Partial<RateLimitDecision>): RateLimitDecision => ({
  allowed: true,
  policy: 'gateway.user',
  limit: 100,
  remaining: 3,
  resetMs: 11_200,
  retryAfterMs: 0,
  source: 'redis',
  nowMs: 0,
  ...overrides,
});

describe('RateLimit headers', () => {
  it('writes the IETF draft format for one policy', () => {
    expect(rateLimitHeaders([{ label: 'user', windowMs: 60_000, decision: decision({}) }])).toEqual(
      {
        'ratelimit-policy': '"user";q=100;w=60',
        ratelimit: '"user";r=3;t=12',
      },
    );
  });

  it('lists every policy checked, in the order checked', () => {
    const headers = rateLimitHeaders([
      {
        label: 'holds.place',
        windowMs: 60_000,
        decision: decision({ limit: 20, remaining: 0, resetMs: 500 }),
      },
      { label: 'user', windowMs: 60_000, decision: decision({}) },
    ]);
    expect(headers['ratelimit-policy']).toBe('"holds.place";q=20;w=60, "user";q=100;w=60');
    expect(headers['ratelimit']).toBe('"holds.place";r=0;t=1, "user";r=3;t=12');
  });

  it('sets nothing when no policy applied', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('never tells a denied client to retry after 0 seconds', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(2_001)).toBe(3);
  });
});
