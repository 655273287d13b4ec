import Redis from 'ioredis';
import { FaultProxy, integrationEndpoints } from '../index';

// The fault helper in front of the real Redis: each fault must be observable by a client.
describe('fault injection through toxiproxy (smoke)', () => {
  let proxy: FaultProxy;
  let client: Redis;

  beforeAll(async () => {
    const upstream = new URL(integrationEndpoints().redisUrl);
    proxy = await FaultProxy.create('smoke redis', `${upstream.hostname}:${upstream.port}`);
  });
  beforeEach(() => {
    client = new Redis({
      host: proxy.host,
      port: proxy.port,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
  });
  afterEach(async () => {
    client.disconnect();
    await proxy.clear();
  });
  afterAll(() => proxy.remove());

  async function timed(fn: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  }

  it('adds latency to every round trip', async () => {
    await client.ping();
    const baseline = await timed(() => client.ping());
    await proxy.latency(200);
    const slowed = await timed(() => client.ping());
    expect(slowed).toBeGreaterThanOrEqual(190);
    expect(slowed - baseline).toBeGreaterThanOrEqual(150);
  });

  it('stalls a connection until the client gives up', async () => {
    await client.ping();
    await proxy.timeout(0);
    const stalled = client.ping();
    const outcome = await Promise.race([
      stalled.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 500)),
    ]);
    expect(outcome).toBe('stalled');
    client.disconnect();
    await expect(stalled).rejects.toThrow();
  });

  it('resets the connection', async () => {
    await proxy.resetPeer(0);
    await expect(client.ping()).rejects.toThrow();
  });

  it('passes traffic again once faults are cleared', async () => {
    await proxy.latency(300);
    await proxy.clear();
    expect(await timed(() => client.ping())).toBeLessThan(150);
  });
});
