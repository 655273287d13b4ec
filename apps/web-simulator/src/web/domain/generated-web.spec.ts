import { GeneratedWeb, DEFAULT_WEB_SETTINGS, pageKey } from './generated-web';

describe('generated web', () => {
  const web = new GeneratedWeb(DEFAULT_WEB_SETTINGS);

  it('is-the-same-web-for-the-same-seed-and-another-for-another', () => {
    const again = new GeneratedWeb(DEFAULT_WEB_SETTINGS);
    const other = new GeneratedWeb({ ...DEFAULT_WEB_SETTINGS, seed: 2 });
    const links = (w: GeneratedWeb) => w.resolve('site-0.web.test', '/p/3', '');
    expect(links(again)).toEqual(links(web));
    expect(links(other)).not.toEqual(links(web));
  });

  it('resolves-every-spelling-of-a-url-to-one-page', () => {
    const spellings = [
      ['SITE-2.Web.Test', '/p/4', ''],
      ['site-2.web.test:80', '/p/4', ''],
      ['site-2.web.test', '/p/4/', ''],
    ] as const;
    const keys = spellings.map(([h, p, q]) => web.resolve(h, p, q)).map((r) => 'key' in r && r.key);
    expect(new Set(keys)).toEqual(new Set(['site-2.web.test/p/4']));
    expect(pageKey('site-1.web.test', '/list', '?sort=name&page=2')).toBe(
      pageKey('site-1.web.test', '/list/', '?page=2&sort=name'),
    );
  });

  it('writes-links-in-several-spellings', () => {
    const links = web.hostNames.flatMap((host) => {
      const r = web.resolve(host, '/', '');
      return r.kind === 'page' ? r.links : [];
    });
    expect(links.some((l) => /SITE-/.test(l))).toBe(true);
    expect(links.some((l) => l.includes(':80/'))).toBe(true);
    expect(links.some((l) => l.includes('#'))).toBe(true);
  });

  it('reaches-every-host-but-never-a-disallowed-page', () => {
    const reachable = web.reachableFrom(web.seedUrls());
    const hosts = new Set([...reachable].map((k) => k.split('/')[0]));
    expect(hosts.size).toBe(DEFAULT_WEB_SETTINGS.hosts);
    expect([...reachable].some((k) => k.includes('/private/'))).toBe(false);
    // Every second host closes /p/2 and what starts with it.
    expect(reachable.has('site-1.web.test/p/2')).toBe(false);
    expect(reachable.has('site-0.web.test/p/2')).toBe(true);
  });

  it('serves-redirects-failures-and-missing-pages', () => {
    expect(web.resolve('site-0.web.test', '/old/2', '').kind).toBe('redirect');
    expect(web.resolve('site-5.web.test', '/p/1', '').kind).toBe('failing');
    expect(web.resolve('site-0.web.test', '/gone/3', '').kind).toBe('not-found');
    expect(web.resolve('nowhere.web.test', '/', '').kind).toBe('unknown-host');
    expect(web.robotsTxt('site-1.web.test')).toContain('Disallow: /p/2');
  });
});
