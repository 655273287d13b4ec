import type { Redis } from 'ioredis';
import { FakeClock } from '../clock/fake-clock';
import { createLimiter } from './limiter';
import type { RateLimitPolicy } from './policy';

// A Redis stand-in whose script calls fail (or never answer), to drive the failure paths
// without infrastructure. The integration tests drive the same paths through toxiproxy.
function brokenRedis(mode: 'reject' | 'hang' | 'ok') {
  const calls: unknown[][] = [];
  const client = {
    evalsha: (...args: unknown[]) => {
      calls.push(args);
      if (mode === 'reject') return Promise.reject(new Error('connect ECONNREFUSED'));
      if (mode === 'hang') return new Promise(() => undefined);
      return Promise.resolve([1, 9, 1_000, 0, 42]);
    },
  };
  return { client: client as unknown as Redis, calls };
}

const policy = (extra: Partial<RateLimitPolicy> = {}): RateLimitPolicy =>
  ({
    name: 'p',
    algorithm: 'sliding-log',
    limit: 10,
    windowMs: 1_000,
    failure: 'open',
    ...extra,
  }) as RateLimitPolicy;

describe('limiter failure policy', () => {
  it('maps a Redis reply to a typed decision from Redis', async () => {
    const { client, calls } = brokenRedis('ok');
    const decision = await createLimiter({ redis: client, policy: policy() }).check('user');
    expect(decision).toEqual({
      allowed: true,
      policy: 'p',
      limit: 10,
      remaining: 9,
      resetMs: 1_000,
      retryAfterMs: 0,
      source: 'redis',
      nowMs: 42,
    });
    // One round trip; the key carries the {policy:key} hash tag.
    expect(calls).toHaveLength(1);
    expect(calls[0]?.slice(1, 3)).toEqual([1, 'rl:{p:user}:log']);
  });

  it('never throws when Redis fails: fail open admits and says the failure policy decided', async () => {
    const { client } = brokenRedis('reject');
    const decision = await createLimiter({ redis: client, policy: policy() }).check('user', {
      cost: 3,
    });
    expect(decision).toMatchObject({ allowed: true, remaining: 7, source: 'failure-policy' });
  });

  it('fail closed denies with retry-after until Redis is tried again', async () => {
    const clock = new FakeClock(1_000);
    const { client, calls } = brokenRedis('reject');
    const limiter = createLimiter({
      redis: client,
      policy: policy({ failure: 'closed' }),
      clock,
      recheckMs: 300,
    });
    expect(await limiter.check('user')).toMatchObject({
      allowed: false,
      retryAfterMs: 300,
      source: 'failure-policy',
    });
    clock.advance(100);
    expect(await limiter.check('user')).toMatchObject({ allowed: false, retryAfterMs: 200 });
    // Within the recheck interval Redis is not called at all.
    expect(calls).toHaveLength(1);
    clock.advance(200);
    await limiter.check('user');
    expect(calls).toHaveLength(2);
  });

  it('falls back to the in-process limit while Redis is down', async () => {
    const clock = new FakeClock(1_000);
    const { client } = brokenRedis('reject');
    const limiter = createLimiter({
      redis: client,
      policy: policy({ fallback: { limit: 2 } }),
      clock,
    });
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.check('user'));
    expect(decisions.map((d) => [d.allowed, d.source, d.limit])).toEqual([
      [true, 'fallback', 2],
      [true, 'fallback', 2],
      [false, 'fallback', 2],
    ]);
    // Keys are limited separately in the fallback too.
    expect((await limiter.check('other')).allowed).toBe(true);
  });

  it('gives up on a Redis that does not answer within the timeout', async () => {
    const { client } = brokenRedis('hang');
    const limiter = createLimiter({
      redis: client,
      policy: policy({ failure: 'closed' }),
      timeoutMs: 20,
    });
    const started = Date.now();
    expect(await limiter.check('user')).toMatchObject({ allowed: false, source: 'failure-policy' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects a cost the policy can never admit, and an invalid policy, as caller bugs', async () => {
    const { client } = brokenRedis('ok');
    const limiter = createLimiter({ redis: client, policy: policy() });
    await expect(limiter.check('user', { cost: 11 })).rejects.toThrow(RangeError);
    await expect(limiter.check('user', { cost: 1.5 })).rejects.toThrow(RangeError);
    await expect(limiter.check('')).rejects.toThrow(RangeError);
    const gcra = createLimiter({
      redis: client,
      policy: {
        name: 'g',
        algorithm: 'gcra',
        limit: 10,
        windowMs: 1_000,
        burst: 3,
        failure: 'open',
      },
    });
    await expect(gcra.check('user', { cost: 4 })).rejects.toThrow(
      'cost must be an integer from 0 to 3',
    );
    expect(() => createLimiter({ redis: client, policy: policy({ limit: 0 }) })).toThrow(/limit/);
  });
});
