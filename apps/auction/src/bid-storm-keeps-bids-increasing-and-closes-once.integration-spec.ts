import type { AuctionClosedEvent } from '@suite/contracts';
import {
  consumeUntil,
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  testKafka,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { verifyAuctionInvariants } from '@suite/invariants';
import { startAuctionApp, type AuctionTestApp } from './testing/auction-harness';

// The service over HTTP (in-process) against the real Postgres, Redis and Kafka, with its
// own closer and outbox relay running.
describe('auction service', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let service: AuctionTestApp;
  const kafka = testKafka('auction-storm');
  let topic: string;

  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
  const create = async (body: Record<string, unknown>, seller = 'seller-1') =>
    service.app.inject({
      method: 'POST',
      url: '/auctions',
      headers: { authorization: await service.authorization(seller) },
      payload: {
        title: 'a lamp',
        reservePrice: 0,
        bidIncrement: 10,
        endsAt: inFuture(60_000),
        ...body,
      },
    });
  const bid = async (auctionId: string, bidder: string, amount: number) =>
    service.app.inject({
      method: 'POST',
      url: `/auctions/${auctionId}/bids`,
      headers: { authorization: await service.authorization(bidder) },
      payload: { amount },
    });

  beforeAll(async () => {
    db = await createTestDatabase('auction_storm', 2);
    redis = createTestRedis('auction-storm');
    topic = await createTestTopic(kafka, 'auction_events');
    service = await startAuctionApp(db, {
      REDIS_KEY_PREFIX: redis.prefix,
      AUCTION_EVENTS_TOPIC: topic,
      DATABASE_POOL_SIZE: '12',
      CLOSER_LEASE_TTL_MS: '2000',
      CLOSER_POLL_MS: '50',
    });
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it('creates an auction for the caller and shows it with no high bid', async () => {
    const created = await create({ title: 'a chair', reservePrice: 500 });
    expect(created.statusCode).toBe(201);
    const auction = created.json();
    expect(auction).toMatchObject({
      sellerId: 'seller-1',
      title: 'a chair',
      phase: 'open',
      highBid: null,
      minimumBid: 10,
      reserveMet: false,
    });
    const got = await service.app.inject({ method: 'GET', url: `/auctions/${auction.id}` });
    expect(got.json()).toMatchObject({ id: auction.id, bidCount: 0 });
    const listed = await service.app.inject({
      method: 'GET',
      url: '/auctions?status=open&limit=5',
    });
    expect(listed.json().auctions.map((a: { id: string }) => a.id)).toContain(auction.id);
  });

  it('requires a bearer token to create or bid, and says why', async () => {
    const response = await service.app.inject({ method: 'POST', url: '/auctions', payload: {} });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toBe('missing bearer token');
  });

  it('refuses a malformed auction with a 400 or 422 that names the problem', async () => {
    const missing = await create({ bidIncrement: 0 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toEqual(['bidIncrement must not be less than 1']);
    const backwards = await create({ startsAt: inFuture(10_000), endsAt: inFuture(5_000) });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().message).toBe('endsAt must be after startsAt');
  });

  it('accepts a bid that beats the high by the increment and rejects the rest with their reason', async () => {
    const auction = (await create({})).json();
    expect((await bid(auction.id, 'bidder-1', 100)).statusCode).toBe(201);
    const low = await bid(auction.id, 'bidder-2', 105);
    expect(low.statusCode).toBe(409);
    expect(low.json()).toMatchObject({
      error: 'bid_too_low',
      reason: 'too-low',
      highBid: 100,
      minimumBid: 110,
    });
    const seller = await bid(auction.id, 'seller-1', 500);
    expect(seller.statusCode).toBe(403);
    expect(seller.json().reason).toBe('seller-cannot-bid');
    const later = (await create({ startsAt: inFuture(30_000) })).json();
    expect((await bid(later.id, 'bidder-1', 100)).json()).toMatchObject({ reason: 'not-open' });
    const missing = await bid('00000000-0000-4000-8000-000000000000', 'bidder-1', 100);
    expect(missing.statusCode).toBe(404);
    const history = await service.app.inject({
      method: 'GET',
      url: `/auctions/${auction.id}/bids`,
    });
    expect(history.json().bids).toEqual([
      expect.objectContaining({ seq: 1, bidderId: 'bidder-1', amount: 100 }),
    ]);
  });

  it('moves the end on a bid inside the anti-sniping window', async () => {
    const auction = (await create({ endsAt: inFuture(1_000), extensionWindowMs: 5_000 })).json();
    const accepted = (await bid(auction.id, 'bidder-1', 10)).json();
    expect(Date.parse(accepted.endsAt)).toBeGreaterThan(Date.parse(auction.endsAt) + 3_000);
  });

  it('bid storm: 200 bidders x up to 50 bids race to the close; bids only increase, none after the close, one AuctionClosed each', async () => {
    const BIDDERS = 200;
    const BIDS_EACH = 50;
    // Two plain auctions and two with a short anti-sniping window, ending while bids race.
    const auctions = await Promise.all(
      [0, 0, 200, 200].map(async (window, i) =>
        (
          await create({
            title: `storm ${i}`,
            reservePrice: 2_000,
            extensionWindowMs: window,
            endsAt: inFuture(2_500),
          })
        ).json(),
      ),
    );
    const ids: string[] = auctions.map((a: { id: string }) => a.id);
    const accepted: { auctionId: string; amount: number; placedAt: number }[] = [];
    const reasons = new Map<string, number>();
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: BIDDERS }, async (_, b) => {
        const auctionId = ids[b % ids.length] ?? '';
        let next = 10 + (b % 7) * 10;
        for (let i = 0; i < BIDS_EACH; i++) {
          const response = await bid(auctionId, `bidder-${b}`, next);
          const body = response.json();
          if (response.statusCode === 201) {
            accepted.push({ auctionId, amount: next, placedAt: Date.parse(body.bid.placedAt) });
            next += 10 * (1 + (b % 3));
          } else {
            reasons.set(body.reason, (reasons.get(body.reason) ?? 0) + 1);
            if (body.reason === 'closed') return;
            next = (body.minimumBid as number) + 10 * (b % 3);
          }
        }
      }),
    );
    const stormMs = Date.now() - startedAt;

    // The closer closes each one shortly after its (possibly extended) end.
    const deadline = Date.now() + 8_000;
    let closed: {
      id: string;
      phase: string;
      closedAt: string;
      winner: unknown;
      highBid: { amount: number } | null;
    }[] = [];
    while (Date.now() < deadline) {
      closed = await Promise.all(
        ids.map(async (id) =>
          (await service.app.inject({ method: 'GET', url: `/auctions/${id}` })).json(),
        ),
      );
      if (closed.every((a) => a.phase === 'closed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(closed.map((a) => a.phase)).toEqual(['closed', 'closed', 'closed', 'closed']);

    const report = await verifyAuctionInvariants(db.pool, topic, ids);
    console.log(
      `bid storm: ${accepted.length} accepted, rejected ${JSON.stringify(Object.fromEntries(reasons))} in ${stormMs} ms; ${JSON.stringify(report)}`,
    );
    expect(report.violations).toEqual({
      bidsNotBeatingPrevious: 0,
      bidsAfterClose: 0,
      wrongWinner: 0,
      closedWithoutEvent: 0,
      duplicateCloseEvents: 0,
      eventsForOpenAuctions: 0,
      twoWinners: 0,
    });
    expect(report).toMatchObject({
      closedAuctions: 4,
      closedEvents: 4,
      acceptedBids: accepted.length,
    });
    expect(reasons.get('closed') ?? 0).toBeGreaterThan(0);
    // What the clients were told agrees: every accepted bid was placed before its close.
    for (const a of closed) {
      const mine = accepted.filter((x) => x.auctionId === (a as { id: string }).id);
      expect(Math.max(...mine.map((x) => x.placedAt))).toBeLessThan(Date.parse(a.closedAt));
      expect(a.highBid?.amount).toBe(Math.max(...mine.map((x) => x.amount)));
    }

    // And the relay delivered one AuctionClosed per auction to Kafka.
    const events = await consumeUntil<AuctionClosedEvent>(kafka, topic, {
      groupId: `${topic}-check`,
      decode: (value) => JSON.parse(value.toString()) as AuctionClosedEvent,
      until: (seen) => ids.every((id) => seen.some((e) => e.auctionId === id)),
      timeoutMs: 15_000,
    });
    const stormEvents = events.filter((e) => ids.includes(e.auctionId));
    expect(stormEvents).toHaveLength(4);
    for (const event of stormEvents) {
      const auction = closed.find((a) => a.id === event.auctionId);
      expect(event.highestBid).toBe(auction?.highBid?.amount ?? null);
    }
  }, 45_000);
});
