import { createTestRedis, type TestRedis } from '@suite/testing';
import { LuaScript } from './lua-script';

describe('LuaScript', () => {
  let redis: TestRedis;
  const echoKey = new LuaScript(
    'echo-key',
    "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
  );

  beforeAll(() => {
    redis = createTestRedis('lua script');
  });
  afterAll(() => redis.cleanup());

  it('runs by sha, loading the script the first time the server does not know it', async () => {
    await redis.client.script('FLUSH');
    expect(await echoKey.run(redis.client, ['k'], ['v1'])).toBe('v1');
    expect(await redis.client.script('EXISTS', echoKey.sha)).toEqual([1]);
  });

  it('survives a script cache flush, as after a Redis restart', async () => {
    await echoKey.run(redis.client, ['k'], ['v1']);
    await redis.client.script('FLUSH');
    expect(await echoKey.run(redis.client, ['k'], ['v2'])).toBe('v2');
  });

  it('applies the client key prefix to KEYS', async () => {
    await echoKey.run(redis.client, ['prefixed'], ['x']);
    const raw = redis.connect({ keyPrefix: '' });
    expect(await raw.get(`${redis.prefix}prefixed`)).toBe('x');
  });

  it('passes script errors through unchanged', async () => {
    const broken = new LuaScript('broken', "return redis.call('NOPE')");
    await expect(broken.run(redis.client, [], [])).rejects.toThrow(
      /Unknown Redis command|unknown command/i,
    );
  });
});
