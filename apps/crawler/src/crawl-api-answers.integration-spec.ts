import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import {
  createTestDatabase,
  integrationEndpoints,
  TestTokens,
  type TestDatabase,
} from '@suite/testing';
import { AppModule } from './app.module';
import { crawlerConfigSchema } from './config/crawler.config';

// The API as it boots (workers off): a crawl starts and reads back; bad input is a 400, a seed
// the crawler may not fetch a 422, an unknown crawl a 404, no operator token a 401 or 403, and
// no answer carries a stack trace.
describe('crawl API answers', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const tokens = new TestTokens();
  let operator: { authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase('crawl_api', 2);
    operator = await tokens.operator();
    const config = loadConfig(
      crawlerConfigSchema,
      {
        DATABASE_URL: db.url,
        REDIS_URL: integrationEndpoints().redisUrl,
        JWT_PUBLIC_KEY: tokens.publicKeyPem,
        CRAWLER_WORKER: 'off',
      },
      'crawler',
    );
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const start = (payload: unknown, headers: Record<string, string> = operator) =>
    app.inject({ method: 'POST', url: '/crawls', headers, payload: payload as object });

  it('starts-a-crawl-with-its-seeds-normalised-and-reads-it-back', async () => {
    const res = await start({ seeds: ['http://SITE-0.web.test:80/#top'], minIntervalMs: 50 });
    expect(res.statusCode).toBe(201);
    const crawl = res.json();
    expect(crawl).toMatchObject({
      status: 'running',
      seeds: ['http://site-0.web.test/'],
      queued: 1,
    });
    const read = await app.inject({ method: 'GET', url: `/crawls/${crawl.id}`, headers: operator });
    expect(read.json()).toMatchObject({ id: crawl.id, queued: 1, done: 0 });
  });

  it('answers-bad-input-400-forbidden-seeds-422-unknown-crawls-404', async () => {
    const cases: Array<[unknown, number]> = [
      [{ seeds: [], minIntervalMs: 50 }, 400],
      [{ seeds: ['http://site-0.web.test/'] }, 400],
      [{ seeds: ['http://site-0.web.test/'], minIntervalMs: -1 }, 400],
      [{ seeds: [42], minIntervalMs: 50 }, 400],
      [{ seeds: ['http://example.com/'], minIntervalMs: 50 }, 422],
      [{ seeds: ['https://site-0.web.test/'], minIntervalMs: 50 }, 422],
      [{ seeds: ['not a url'], minIntervalMs: 50 }, 422],
    ];
    for (const [payload, status] of cases) {
      const res = await start(payload);
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), status]);
      expect(res.body).not.toContain('    at ');
    }
    const refused = await start({ seeds: ['http://example.com/'], minIntervalMs: 50 });
    expect(refused.json()).toMatchObject({ error: 'seed_not_allowed' });
    const missing = await app.inject({
      method: 'GET',
      url: '/crawls/6b0e7d34-5b1c-4c4f-9a51-1f1f1f1f1f1f',
      headers: operator,
    });
    expect(missing.statusCode).toBe(404);
    const notUuid = await app.inject({ method: 'GET', url: '/crawls/x', headers: operator });
    expect(notUuid.statusCode).toBe(400);
  });

  it('refuses-without-an-operator-token', async () => {
    const body = { seeds: ['http://site-0.web.test/'], minIntervalMs: 50 };
    expect((await start(body, {})).statusCode).toBe(401);
    expect((await start(body, await tokens.bearer('shopper', []))).statusCode).toBe(403);
  });
});
