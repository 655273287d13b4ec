import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DevTokenSigner, generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { createTestRedis, integrationEndpoints, type TestRedis } from '@suite/testing';
import { gatewayConfigSchema } from './config/gateway.config';
import { initGatewayApp } from './gateway.app';
import { StubUpstream } from './testing/stub-upstream';

const AUCTION_ID = '5b0f3c1e-8a8e-4b55-9f55-3c2b7d0f6a11';
const EVENT_ID = '00000000-0000-4000-8000-00000000e001';

// Input the gateway must refuse itself, before proxying: a body nested deep enough to
// overflow its re-serialisation, and control characters anywhere. The upstreams (stubs
// on real sockets) must see none of it; the real Redis backs the rate limits.
describe('gateway answers bad input with 400', () => {
  const keys = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
  });
  const auction = new StubUpstream();
  const ticketing = new StubUpstream();
  let redis: TestRedis;
  let gateway: NestFastifyApplication;
  let authorization: string;

  beforeAll(async () => {
    redis = createTestRedis('gateway-bad-input');
    const config = loadConfig(
      gatewayConfigSchema,
      {
        LOG_LEVEL: 'fatal',
        REDIS_URL: integrationEndpoints().redisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        JWT_PUBLIC_KEY: keys.publicKeyPem,
        AUCTION_URL: await auction.start(),
        TICKETING_URL: await ticketing.start(),
      },
      'gateway',
    );
    gateway = await initGatewayApp(config, { logLevel: 'fatal' });
    authorization = `Bearer ${await signer.sign({ userId: 'buyer-1', scopes: ['auctions:bid'] })}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await auction.stop();
    await ticketing.stop();
    await redis?.cleanup();
  });

  afterEach(() => {
    expect(auction.requests).toEqual([]);
    expect(ticketing.requests).toEqual([]);
  });

  const expect400 = (response: { statusCode: number; json(): unknown }, message: unknown) => {
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message },
    });
  };

  it('refuses about 5,000 levels of nested JSON (10 KB) instead of overflowing', async () => {
    const payload = '['.repeat(5000) + ']'.repeat(5000);
    expect(payload.length).toBe(10_000);
    const response = await gateway.inject({
      method: 'POST',
      url: `/auctions/${AUCTION_ID}/bids`,
      headers: { authorization, 'content-type': 'application/json' },
      payload,
    });
    expect400(response, 'JSON nesting deeper than 32');
  });

  it('refuses a NUL in a body string', async () => {
    const response = await gateway.inject({
      method: 'POST',
      url: '/holds',
      headers: { authorization },
      payload: { eventId: EVENT_ID, seatIds: ['A-1-1\u0000'] },
    });
    expect400(response, 'seatIds.0 must not contain control characters');
  });

  it('refuses a NUL in a query parameter, without a token', async () => {
    const response = await gateway.inject({
      method: 'GET',
      url: `/auctions/${AUCTION_ID}/bids?afterSeq=1%00`,
    });
    expect400(response, 'query parameter afterSeq must not contain control characters');
  });

  it('refuses a control character in a path parameter', async () => {
    const response = await gateway.inject({
      method: 'GET',
      url: '/auctions/a%1fb',
    });
    expect400(response, 'path parameter auctionId must not contain control characters');
  });
});
