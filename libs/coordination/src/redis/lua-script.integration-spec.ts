import { createTestRedis, type TestRedis } from '@suite/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  describe('fromFile with shared files included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-include-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'lib.lua'), 'local function twice(x) return x * 2 end\n');
    writeFileSync(
      join(dir, 'read.lua'),
      '#!lua flags=no-writes\nreturn twice(tonumber(ARGV[1]))\n',
    );
    writeFileSync(
      join(dir, 'write.lua'),
      "#!lua flags=no-writes\nredis.call('SET', KEYS[1], twice(1)) return 1\n",
    );

    it('runs the script with the shared functions defined before it', async () => {
      const script = LuaScript.fromFile(dir, 'read.lua', ['lib.lua']);
      expect(await script.run(redis.client, [], [21])).toBe(42);
    });

    it("keeps the script's flags line first, so Redis still applies it", async () => {
      const script = LuaScript.fromFile(dir, 'write.lua', ['lib.lua']);
      expect(script.source.startsWith('#!lua flags=no-writes\n')).toBe(true);
      await expect(script.run(redis.client, ['w'], [])).rejects.toThrow(
        /Write commands are not allowed/i,
      );
    });
  });
});
