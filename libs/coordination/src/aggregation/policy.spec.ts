import { InvalidRateLimitPolicyError, parseRateLimitPolicy, rateLimitPolicySchema } from './policy';

describe('rate-limit policy schema', () => {
  const valid = {
    name: 'api.per-user',
    algorithm: 'sliding-log',
    limit: 100,
    windowMs: 60_000,
    failure: 'open',
  };

  it('accepts a plain policy object as loaded from a config file', () => {
    expect(parseRateLimitPolicy(valid)).toEqual(valid);
    expect(
      parseRateLimitPolicy({ ...valid, algorithm: 'gcra', burst: 20, fallback: { limit: 25 } }),
    ).toMatchObject({ burst: 20, fallback: { limit: 25 } });
  });

  it('rejects names that could break or alias the Redis hash tag', () => {
    for (const name of ['a:b', 'x{y}', '', 'a'.repeat(65)]) {
      expect(() => parseRateLimitPolicy({ ...valid, name })).toThrow(InvalidRateLimitPolicyError);
    }
  });

  it('rejects unknown algorithms, unknown fields and non-integer limits', () => {
    expect(rateLimitPolicySchema.safeParse({ ...valid, algorithm: 'leaky' }).success).toBe(false);
    expect(rateLimitPolicySchema.safeParse({ ...valid, burst: 5 }).success).toBe(false);
    expect(rateLimitPolicySchema.safeParse({ ...valid, limit: 1.5 }).success).toBe(false);
    expect(rateLimitPolicySchema.safeParse({ ...valid, windowMs: 0 }).success).toBe(false);
  });

  it('rejects a fallback limiter on a fail-closed policy, naming the field', () => {
    expect(() =>
      parseRateLimitPolicy({ ...valid, failure: 'closed', fallback: { limit: 5 } }),
    ).toThrow("fallback: a fallback limiter only applies to failure: 'open'");
  });

  it('rejects a GCRA burst that would take more than a day to refill', () => {
    expect(() =>
      parseRateLimitPolicy({
        ...valid,
        algorithm: 'gcra',
        limit: 1,
        windowMs: 86_400_000,
        burst: 2,
      }),
    ).toThrow(/burst must refill within one day/);
  });
});
