import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import { TestTokens } from '@suite/testing';
import { AppModule } from './app.module';
import { webSimulatorConfigSchema } from './config/web-simulator.config';

// The simulator as it boots: pages by Host header, the admin API beside them, and a verdict
// that catches a crawl that fetched twice, too fast, or somewhere it must not.
describe('web-simulator', () => {
  let app: NestFastifyApplication;
  const tokens = new TestTokens();
  const page = (host: string, url: string) => app.inject({ method: 'GET', url, headers: { host } });
  const verdict = async () => (await app.inject({ method: 'GET', url: '/web/verdict' })).json();

  beforeAll(async () => {
    const config = loadConfig(
      webSimulatorConfigSchema,
      { JWT_PUBLIC_KEY: tokens.publicKeyPem, WEB_SLOW_MS: '0' },
      'web-simulator',
    );
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(() => app.close());

  beforeEach(async () => {
    await app.inject({ method: 'PUT', url: '/web', payload: { minIntervalMs: 1_000 } });
  });

  it('serves-pages-by-host-header-and-the-api-on-any-other-host', async () => {
    const index = await page('site-0.web.test', '/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<a href=');
    expect((await page('site-1.web.test', '/robots.txt')).body).toContain('Disallow: /private');
    expect((await page('site-0.web.test', '/old/2')).headers['location']).toBe(
      'http://site-0.web.test/p/2',
    );
    expect((await page('site-0.web.test', '/web')).statusCode).toBe(404);
    const web = await app.inject({ method: 'GET', url: '/web' });
    expect(web.json()).toMatchObject({ hosts: 12, seedUrls: ['http://site-0.web.test/'] });
  });

  it('judges-duplicates-violations-and-disallowed-fetches', async () => {
    await page('site-0.web.test', '/p/1');
    await page('SITE-0.web.test:80', '/p/1/');
    await page('site-0.web.test', '/private/1');
    const v = await verdict();
    expect(v.duplicates).toBe(1);
    expect(v.unexpected).toBe(1);
    expect(v.rateViolations).toBe(2);
    expect(v.missed).toBe(v.reachable - 1);
  });

  it('refuses-a-bad-run-or-seed-with-400', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/web', payload: { hosts: 0 } });
    expect(bad.statusCode).toBe(400);
    // A web so large that a verdict would walk it for seconds.
    const huge = await app.inject({ method: 'PUT', url: '/web', payload: { hosts: 500 } });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toEqual(['hosts must not be greater than 100']);
    const badSeed = await app.inject({ method: 'GET', url: '/web/verdict?seed=ftp://x' });
    expect(badSeed.statusCode).toBe(400);
    expect(badSeed.body).not.toContain('    at ');
  });
});
