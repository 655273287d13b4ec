import type { RateLimitPolicyFile } from '@suite/contracts';
import type { Limiter, RateLimitPolicy } from '@suite/coordination';
import { PolicySet } from './policy-set';

const stubLimiter = (policy: RateLimitPolicy): Limiter => ({
  policy,
  check: () => Promise.reject(new Error('not used')),
  peek: () => Promise.reject(new Error('not used')),
});

const file = (limit: number, burst?: number): RateLimitPolicyFile => ({
  domains: [
    {
      domain: 'api',
      policies: [
        {
          name: 'per-user',
          match: { user: '*' },
          algorithm: 'gcra',
          limit,
          windowMs: 1_000,
          failure: 'closed',
          ...(burst === undefined ? {} : { burst }),
        },
        {
          name: 'holds',
          match: { route: 'POST /holds' },
          algorithm: 'sliding-log',
          limit: 5,
          windowMs: 60_000,
          failure: 'open',
          fallback: { limit: 2 },
        },
      ],
    },
  ],
});

describe('policy set', () => {
  it('names each limiter policy <domain>.<policy> and selects by descriptor', () => {
    const compiled = PolicySet.compile(file(10), stubLimiter);
    if (!compiled.ok) throw new Error(compiled.issues.join());
    expect(compiled.set.select('api', { user: 'u1' })?.name).toBe('api.per-user');
    expect(compiled.set.select('api', { route: 'POST /holds' })?.limiter.policy).toMatchObject({
      name: 'api.holds',
      fallback: { limit: 2 },
    });
    expect(compiled.set.select('api', { route: 'GET /' })).toBeUndefined();
    expect(compiled.set.select('other', { user: 'u1' })).toBeUndefined();
  });

  it("applies the library's own policy rules too, with the file path of each issue", () => {
    // GCRA: a burst that takes more than a day to refill is refused by the library schema.
    const compiled = PolicySet.compile(file(1, 1_000_000), stubLimiter);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.issues[0]).toMatch(/^domains\.0\.policies\.0\.burst: burst must refill/);
  });

  it('keeps the limiter of an unchanged policy across a reload and replaces a changed one', () => {
    const first = PolicySet.compile(file(10), stubLimiter);
    if (!first.ok) throw new Error('first');
    const second = PolicySet.compile(file(20), stubLimiter, first.set);
    if (!second.ok) throw new Error('second');
    expect(second.set.find('api', 'holds')?.limiter).toBe(first.set.find('api', 'holds')?.limiter);
    expect(second.set.find('api', 'per-user')?.limiter).not.toBe(
      first.set.find('api', 'per-user')?.limiter,
    );
    expect(second.set.find('api', 'per-user')?.capacity).toBe(20);
  });
});
