import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { StubUpstream } from './testing/stub-upstream';

const AUCTION_ID = '5b0f3c1e-8a8e-4b55-9f55-3c2b7d0f6a11';
const EVENT_ID = '00000000-0000-4000-8000-00000000e001';

// Input the gateway must refuse itself, before proxying: a body nested deep enough to
// overflow its re-serialisation, and control characters anywhere. The upstreams (stubs
// on real sockets) must see none of it; the real Redis backs the rate limits.
describe('gateway answers bad input with 400', () => {
  const auction = new StubUpstream();
  const ticketing = new StubUpstream();
  let gatewayUnderTest: GatewayUnderTest;
  let gateway: GatewayUnderTest['app'];
  let authorization: string;

  beforeAll(async () => {
    gatewayUnderTest = await startGatewayUnderTest({
      name: 'gateway-bad-input',
      upstreams: { auction, ticketing },
    });
    gateway = gatewayUnderTest.app;
    authorization = await gatewayUnderTest.bearer('buyer-1', ['auctions:bid']);
  });

  afterAll(() => gatewayUnderTest?.close());

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
