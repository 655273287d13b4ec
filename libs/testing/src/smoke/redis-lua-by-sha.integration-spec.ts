import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestRedis, type TestRedis } from '../index';

const script = readFileSync(join(__dirname, 'lua/bounded-increment.lua'), 'utf8');

describe('redis lua script called by sha (smoke)', () => {
  let redis: TestRedis;

  beforeAll(() => {
    redis = createTestRedis('smoke lua');
  });
  afterAll(() => redis.cleanup());

  it('loads the script once and runs it atomically by sha from many clients', async () => {
    const sha = (await redis.client.script('LOAD', script)) as string;
    expect(sha).toMatch(/^[0-9a-f]{40}$/);

    const clients = Array.from({ length: 8 }, () => redis.connect());
    const cap = 50;
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        clients.at(i % clients.length)?.evalsha(sha, 1, 'counter', cap),
      ),
    );

    const admitted = results.filter((r) => r !== -1);
    expect(admitted).toHaveLength(cap);
    // Every value from 1 to the cap was handed out exactly once.
    expect([...admitted].map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: cap }, (_, i) => i + 1),
    );
    expect(await redis.client.get('counter')).toBe(String(cap));
  });

  it('answers NOSCRIPT for an unknown sha', async () => {
    await expect(redis.client.evalsha('0'.repeat(40), 1, 'counter', 1)).rejects.toThrow(/NOSCRIPT/);
  });
});
