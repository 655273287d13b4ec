import { loopbackTarget, normaliseUrl } from './crawl-url';

describe('crawl URLs', () => {
  const one = (raw: string, base?: string) => {
    const n = normaliseUrl(raw, base);
    return n.ok ? n.url : n.reason;
  };

  it('gives-every-spelling-of-a-page-one-url', () => {
    const spellings = [
      'http://site-1.web.test/p/3',
      'http://SITE-1.Web.Test/p/3',
      'http://site-1.web.test:80/p/3',
      'http://site-1.web.test/p/3/',
      'http://site-1.web.test/p/3#top',
      'http://site-1.web.test/x/../p/./3',
    ];
    expect(new Set(spellings.map((s) => one(s)))).toEqual(new Set(['http://site-1.web.test/p/3']));
    expect(one('http://site-1.web.test/list?sort=name&page=2')).toBe(
      one('http://site-1.web.test/list/?page=2&sort=name#x'),
    );
    expect(one('/p/4', 'http://site-2.web.test/p/3')).toBe('http://site-2.web.test/p/4');
    expect(one('http://site-1.web.test')).toBe('http://site-1.web.test/');
  });

  it('refuses-every-address-off-loopback-and-every-other-scheme', () => {
    expect(one('http://example.com/')).toBe('off-loopback');
    expect(one('http://10.0.0.1/')).toBe('off-loopback');
    expect(one('http://127.0.0.2/')).toBe('off-loopback');
    expect(one('http://web.test.evil.com/')).toBe('off-loopback');
    expect(one('https://site-1.web.test/')).toBe('not-http');
    expect(one('mailto:a@b')).toBe('not-http');
    expect(one('http://user:pw@127.0.0.1/')).toBe('malformed');
    expect(one('not a url')).toBe('malformed');
  });

  it('sends-every-request-to-127-0-0-1', () => {
    expect(loopbackTarget('http://site-1.web.test/p/3?a=1', 3007)).toEqual({
      address: '127.0.0.1',
      port: 3007,
      hostHeader: 'site-1.web.test',
      path: '/p/3?a=1',
    });
    expect(loopbackTarget('http://localhost:8080/x', 3007)?.port).toBe(8080);
    expect(loopbackTarget('http://example.com/', 3007)).toBeUndefined();
  });
});
