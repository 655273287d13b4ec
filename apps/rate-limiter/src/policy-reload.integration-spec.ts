import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RateLimitPolicyFile } from '@suite/contracts';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { RateLimiterTestApps } from './testing/rate-limiter-test-apps';

const policies = (version: string, limit: number): RateLimitPolicyFile => ({
  version,
  domains: [
    {
      domain: 'api',
      policies: [
        {
          name: 'per-user',
          match: { user: '*' },
          algorithm: 'sliding-log',
          limit,
          windowMs: 60_000,
          failure: 'closed',
        },
      ],
    },
  ],
});

describe('policy file reload', () => {
  let redis: TestRedis;
  let apps: RateLimiterTestApps;

  const boot = (reloadIntervalMs: number) =>
    apps.boot({ POLICY_RELOAD_INTERVAL_MS: String(reloadIntervalMs) });
  const check = async (app: NestFastifyApplication, user: string) =>
    app.inject({
      method: 'POST',
      url: '/check',
      headers: await apps.tokens.bearer(user),
      payload: { domain: 'api', descriptors: [{ user }] },
    });
  const loaded = async (app: NestFastifyApplication) =>
    (
      await app.inject({
        method: 'GET',
        url: '/admin/policies',
        headers: await apps.tokens.operator(),
      })
    ).json();

  beforeAll(() => {
    redis = createTestRedis('rate-limiter reload');
    apps = new RateLimiterTestApps({
      REDIS_URL: integrationEndpoints().redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
    });
  });

  afterAll(async () => {
    await apps.close();
    await redis.cleanup();
  });

  it('refuses to boot on an invalid file, listing every issue', async () => {
    apps.writePolicies(JSON.stringify({ domains: [{ domain: 'api', policies: [{ name: 'x' }] }] }));
    await expect(boot(0)).rejects.toThrow(
      /policy file .* is invalid:\n {2}domains\.0\.policies\.0\.match: Required/,
    );
  });

  it('applies a valid new file on POST /admin/policies/reload and refuses an invalid one, keeping the old policies', async () => {
    apps.writePolicies(JSON.stringify(policies('v1', 2)));
    const app = await boot(0);
    const v1 = (await loaded(app)).loaded;
    expect(v1.version).toBe('v1');
    expect([(await check(app, 'a')).statusCode, (await check(app, 'a')).statusCode]).toEqual([
      200, 200,
    ]);
    expect((await check(app, 'a')).statusCode).toBe(429);

    // Valid: a higher limit takes effect on the same counts (same policy name, same keys).
    apps.writePolicies(JSON.stringify(policies('v2', 4)));
    const reloaded = await app.inject({
      method: 'POST',
      url: '/admin/policies/reload',
      headers: await apps.tokens.operator(),
    });
    expect(reloaded.statusCode).toBe(200);
    expect(reloaded.json()).toMatchObject({ status: 'reloaded', loaded: { version: 'v2' } });
    expect(reloaded.json().loaded.hash).not.toBe(v1.hash);
    const afterReload = await check(app, 'a');
    expect(afterReload.statusCode).toBe(200);
    expect(afterReload.headers['ratelimit-policy']).toBe('"api.per-user";q=4;w=60');

    // Invalid: refused with its issues; v2 stays in force and keeps deciding.
    apps.writePolicies(JSON.stringify(policies('v3', 0)));
    const refused = await app.inject({
      method: 'POST',
      url: '/admin/policies/reload',
      headers: await apps.tokens.operator(),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error: 'invalid_policy_file',
      message: ['domains.0.policies.0.limit: Number must be greater than 0'],
      loaded: { version: 'v2' },
    });
    apps.writePolicies('{ "domains": [');
    const broken = await app.inject({
      method: 'POST',
      url: '/admin/policies/reload',
      headers: await apps.tokens.operator(),
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().message[0]).toMatch(/^not valid JSON/);
    const shown = await loaded(app);
    expect(shown.loaded.version).toBe('v2');
    expect(shown.lastRejected.issues[0]).toMatch(/^not valid JSON/);
    expect((await check(app, 'a')).statusCode).toBe(200);
    expect((await check(app, 'a')).statusCode).toBe(429);
  });

  it('picks up a changed file by itself when watching, and ignores a bad edit', async () => {
    apps.writePolicies(JSON.stringify(policies('w1', 1)));
    const app = await boot(100);
    apps.writePolicies('{ not json');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await loaded(app)).loaded.version).toBe('w1');
    expect((await loaded(app)).lastRejected).not.toBeNull();

    apps.writePolicies(JSON.stringify(policies('w2', 7)));
    const deadline = Date.now() + 5_000;
    while ((await loaded(app)).loaded.version !== 'w2') {
      if (Date.now() > deadline) throw new Error('the watcher did not load w2 within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await loaded(app)).lastRejected).toBeNull();
    expect((await check(app, 'w')).headers['ratelimit-policy']).toBe('"api.per-user";q=7;w=60');
  });
});
