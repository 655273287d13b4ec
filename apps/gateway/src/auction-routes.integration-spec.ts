import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { answerJson, StubUpstream } from './testing/stub-upstream';

const AUCTION_ID = '5b0f3c1e-8a8e-4b55-9f55-3c2b7d0f6a11';
const TIMEOUT_MS = 300;

// The auction service's routes through the gateway, against a stub auction service and the
// real Redis, with the built-in rate-limit policies.
describe('gateway auction routes', () => {
  const auction = new StubUpstream();
  let gatewayUnderTest: GatewayUnderTest;
  let gateway: GatewayUnderTest['app'];

  beforeAll(async () => {
    gatewayUnderTest = await startGatewayUnderTest({
      name: 'gateway-auction',
      upstreams: { auction },
      env: {
        AUCTION_TIMEOUT_MS: String(TIMEOUT_MS),
        BREAKER_VOLUME_THRESHOLD: '3',
        BREAKER_ERROR_PERCENT: '50',
        BREAKER_RESET_MS: '60000',
      },
    });
    gateway = gatewayUnderTest.app;
  });

  afterAll(() => gatewayUnderTest?.close());

  beforeEach(() => auction.reset());

  const bearer = (userId: string) => gatewayUnderTest.bearer(userId, ['auctions:bid']);

  it('forwards a bid with the verified bidder, the request id and the original token', async () => {
    const authorization = await bearer('bidder-1');
    const accepted = {
      outcome: 'accepted',
      bid: { seq: 1, bidderId: 'bidder-1', amount: 1200, placedAt: '2026-11-27T10:00:00.000Z' },
      minimumBid: 1300,
      endsAt: '2026-11-27T11:00:00.000Z',
    };
    auction.handler = answerJson(201, accepted);
    const response = await gateway.inject({
      method: 'POST',
      url: `/auctions/${AUCTION_ID}/bids`,
      headers: { authorization, 'x-request-id': 'bid-req-1', 'x-user-id': 'someone-else' },
      payload: { amount: 1200 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(accepted);
    expect(response.headers['x-request-id']).toBe('bid-req-1');
    // The bid policy (60 / 60 s) and the user policy (120 / 60 s): the tighter one first.
    expect(response.headers['ratelimit-policy']).toBe(
      '"gateway.place-bid";q=60;w=60, "gateway.per-user";q=120;w=60',
    );

    const seen = auction.requests[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe(`/auctions/${AUCTION_ID}/bids`);
    expect(seen?.headers['x-user-id']).toBe('bidder-1');
    expect(seen?.headers['x-user-scopes']).toBe('auctions:bid');
    expect(seen?.headers['x-request-id']).toBe('bid-req-1');
    expect(seen?.headers['authorization']).toBe(authorization);
    expect(JSON.parse(seen?.body ?? '')).toEqual({ amount: 1200 });
  });

  it("passes a rejected bid's 409 through as the service wrote it, reason included", async () => {
    const rejected = {
      statusCode: 409,
      error: 'bid_too_low',
      message: 'bid too low: the minimum bid is now 1300',
      outcome: 'rejected',
      reason: 'too-low',
      highBid: 1200,
      minimumBid: 1300,
      endsAt: '2026-11-27T11:00:00.000Z',
    };
    auction.handler = answerJson(409, rejected);
    const response = await gateway.inject({
      method: 'POST',
      url: `/auctions/${AUCTION_ID}/bids`,
      headers: { authorization: await bearer('bidder-2') },
      payload: { amount: 1250 },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual(rejected);
  });

  it('requires a token to create an auction or bid, and calls no service without one', async () => {
    for (const url of ['/auctions', `/auctions/${AUCTION_ID}/bids`]) {
      const response = await gateway.inject({ method: 'POST', url, payload: { amount: 1 } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    expect(auction.requests).toHaveLength(0);
  });

  it('forwards the seller of a new auction', async () => {
    auction.handler = answerJson(201, { id: AUCTION_ID, sellerId: 'seller-1' });
    const response = await gateway.inject({
      method: 'POST',
      url: '/auctions',
      headers: { authorization: await bearer('seller-1') },
      payload: { title: 'Lamp', reservePrice: 0, bidIncrement: 1, endsAt: '2030-01-01T00:00:00Z' },
    });
    expect(response.statusCode).toBe(201);
    expect(auction.requests[0]?.headers['x-user-id']).toBe('seller-1');
  });

  it('serves the reads to anyone, counted by address, with no identity a client could forge', async () => {
    auction.handler = answerJson(200, { auctions: [] });
    const response = await gateway.inject({
      method: 'GET',
      url: '/auctions?status=open&limit=5',
      headers: { 'x-user-id': 'admin', 'x-user-scopes': 'everything' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auctions: [] });
    expect(response.headers['ratelimit-policy']).toBe('"gateway.per-client-ip";q=300;w=60');
    const seen = auction.requests[0];
    expect(seen?.url).toBe('/auctions?status=open&limit=5');
    expect(seen?.headers['x-user-id']).toBeUndefined();
    expect(seen?.headers['x-user-scopes']).toBeUndefined();
  });

  it('identifies a reader that sends a valid token, and refuses an invalid one', async () => {
    auction.handler = answerJson(200, { auctionId: AUCTION_ID, bids: [] });
    const signedIn = await gateway.inject({
      method: 'GET',
      url: `/auctions/${AUCTION_ID}/bids?afterSeq=3`,
      headers: { authorization: await bearer('watcher-1') },
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['ratelimit-policy']).toBe('"gateway.per-user";q=120;w=60');
    expect(auction.requests[0]?.headers['x-user-id']).toBe('watcher-1');
    expect(auction.requests[0]?.url).toBe(`/auctions/${AUCTION_ID}/bids?afterSeq=3`);

    const forged = await gateway.inject({
      method: 'GET',
      url: `/auctions/${AUCTION_ID}`,
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(auction.requests).toHaveLength(1);
  });

  it('answers 504 after AUCTION_TIMEOUT_MS, then 503 without calling the service once the circuit opens', async () => {
    auction.handler = (request, response) => {
      setTimeout(() => answerJson(200, {})(request, response), TIMEOUT_MS * 3);
    };
    const authorization = await bearer('watcher-2');
    const read = () =>
      gateway.inject({ method: 'GET', url: `/auctions/${AUCTION_ID}`, headers: { authorization } });
    // Earlier answers in this file (4xx included) count as successes: the circuit opens
    // once more than half of the calls in the window have failed.
    let open = await read();
    let timeouts = 0;
    while (open.statusCode === 504 && timeouts < 12) {
      expect(open.json().message).toBe(`auction did not answer within ${TIMEOUT_MS} ms`);
      timeouts += 1;
      open = await read();
    }
    expect(timeouts).toBeGreaterThanOrEqual(3);
    const calls = auction.requests.length;
    open = await read();
    expect(open.statusCode).toBe(503);
    expect(open.json().message).toMatch(/^auction is unavailable: its circuit is open/);
    expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(auction.requests).toHaveLength(calls);
  });
});
