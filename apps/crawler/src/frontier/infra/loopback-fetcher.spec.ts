import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopbackFetcher, loopbackOnlyLookup } from './loopback-fetcher';

// Nothing leaves 127.0.0.1: the fetcher refuses any other host before a socket exists, and
// its resolver answers no other name, so even a request built around the fetcher's checks
// fails to connect.
describe('loopback fetcher', () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
      if (req.url === '/moved') res.writeHead(301, { location: 'http://site-2.web.test/p/1' });
      res.end('<a href="/p/2">x</a>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetcher = () =>
    new LoopbackFetcher({ webSimulatorPort: port, timeoutMs: 2_000, maxBodyBytes: 10_000 });

  it('sends-web-test-hosts-to-127-0-0-1-with-their-host-header', async () => {
    const result = await fetcher().fetch('http://site-1.web.test/p/1?a=1');
    expect(result).toMatchObject({ kind: 'answered', status: 200 });
    expect(seen).toContain('site-1.web.test/p/1?a=1');
    const moved = await fetcher().fetch('http://site-1.web.test/moved');
    expect(moved).toMatchObject({ status: 301, location: 'http://site-2.web.test/p/1' });
  });

  it('withholds-a-request-whose-last-check-says-no-and-the-host-sees-nothing', async () => {
    const before = seen.length;
    let asked = 0;
    const withheld = await fetcher().fetch('http://site-1.web.test/p/3', () => {
      asked += 1;
      return false;
    });
    expect(withheld).toEqual({ kind: 'withheld' });
    expect(asked).toBe(1);
    const sent = await fetcher().fetch('http://site-1.web.test/p/4', () => true);
    expect(sent).toMatchObject({ kind: 'answered', status: 200 });
    expect(seen.slice(before)).toEqual(['site-1.web.test/p/4']);
  });

  it('refuses-any-other-host-without-opening-a-socket', async () => {
    const before = seen.length;
    for (const url of ['http://example.com/', 'http://10.1.2.3/', 'https://site-1.web.test/']) {
      expect(await fetcher().fetch(url)).toEqual({ kind: 'refused', reason: 'off-loopback' });
    }
    expect(seen.length).toBe(before);
  });

  it('resolves-no-name-but-127-0-0-1', async () => {
    const error = await new Promise<Error>((resolve) => {
      const req = request({ host: 'example.com', port: 80, lookup: loopbackOnlyLookup }, () =>
        resolve(new Error('connected')),
      );
      req.on('error', resolve);
      req.end();
    });
    expect(error.message).toContain('fetches from 127.0.0.1 only');
  });
});
