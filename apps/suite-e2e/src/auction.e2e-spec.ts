import type { Pool } from 'pg';
import { TOPICS } from '@suite/contracts';
import { verifyAuctionInvariants, verifyEventsOnKafka } from '@suite/invariants';
import { integrationEndpoints } from '@suite/testing';
import { call, serviceDatabase, tokenFor, until } from './support';

interface AuctionBody {
  id: string;
  phase: string;
  highBid: { amount: number; bidderId: string } | null;
  winner: { bidderId: string; amount: number } | null;
}
interface BidReply {
  outcome: 'accepted' | 'rejected';
  reason?: string;
  minimumBid?: number;
}

// The auction through the gateway: concurrent bids decided one at a time, a late bid
// refused, and exactly one winner declared by the elected closer.
describe('auction through the gateway', () => {
  let auctionDb: Pool;
  // Kafka's topics outlive the stack's fresh databases: judge only what this file caused.
  const started = new Date();

  beforeAll(() => {
    auctionDb = serviceDatabase('auction');
  });
  afterAll(() => auctionDb.end());

  it('accepts only bids that beat the high bid, closes at the end with one winner, and refuses bids after', async () => {
    const [seller, ann, ben] = await Promise.all([
      tokenFor('e2e-seller'),
      tokenFor('e2e-ann'),
      tokenFor('e2e-ben'),
    ]);
    const created = await call<AuctionBody>('POST', '/auctions', {
      token: seller,
      body: {
        title: 'e2e lot',
        reservePrice: 1_000,
        bidIncrement: 100,
        endsAt: new Date(Date.now() + 4_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    // Ten bidders race with the same amount: exactly one is accepted.
    const racers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tokenFor(`e2e-bidder-${i}`)),
    );
    const race = await Promise.all(
      racers.map((token) =>
        call<BidReply>('POST', `/auctions/${id}/bids`, { token, body: { amount: 1_000 } }),
      ),
    );
    expect(race.filter((r) => r.status === 201)).toHaveLength(1);
    const rejected = race.filter((r) => r.status !== 201);
    expect(
      rejected.every((r) => r.body.reason === 'too-low' || r.body.outcome === 'rejected'),
    ).toBe(true);

    // Beating by less than the increment is refused with the minimum; beating it is accepted.
    const short = await call<BidReply>('POST', `/auctions/${id}/bids`, {
      token: ann,
      body: { amount: 1_050 },
    });
    expect(short.status).toBe(409);
    expect(short.body.minimumBid).toBe(1_100);
    expect(
      (await call('POST', `/auctions/${id}/bids`, { token: ann, body: { amount: 1_100 } })).status,
    ).toBe(201);
    // The seller cannot bid on their own lot.
    expect(
      (await call('POST', `/auctions/${id}/bids`, { token: seller, body: { amount: 5_000 } }))
        .status,
    ).toBe(403);

    const closed = await until(
      'the closer to close the auction',
      async () => {
        const view = await call<AuctionBody>('GET', `/auctions/${id}`);
        return view.body.phase === 'closed' ? view.body : undefined;
      },
      20_000,
      500,
    );
    expect(closed.winner).toEqual({ bidderId: 'e2e-ann', amount: 1_100 });

    const late = await call<BidReply>('POST', `/auctions/${id}/bids`, {
      token: ben,
      body: { amount: 9_000 },
    });
    expect(late.status).toBe(409);
    expect(late.body.outcome).toBe('rejected');

    const report = await verifyAuctionInvariants(auctionDb, TOPICS.auctionEvents, [id]);
    expect(report).toMatchObject({
      auctions: 1,
      closedAuctions: 1,
      acceptedBids: 2,
      closedEvents: 1,
      total: 0,
    });

    // The close as consumers see it: exactly one AuctionClosed on Kafka, however often
    // delivered. The relay gets a bounded time to publish it.
    const onKafka = () =>
      verifyEventsOnKafka({
        kafkaBrokers: integrationEndpoints().kafkaBrokers,
        databases: { auction: auctionDb },
        topics: [TOPICS.auctionEvents],
        auctionIds: [id],
        settleMs: 0,
        since: started,
      });
    const events = await until(
      'AuctionClosed on Kafka',
      async () => {
        const report = await onKafka();
        return report.auctions?.closeEvents ? report : undefined;
      },
      15_000,
      1_000,
    ).catch(onKafka);
    expect(events.violations).toEqual({
      rowsNeverOnKafka: 0,
      inventedMessages: 0,
      closedAuctionsWithoutEvent: 0,
      closedAuctionsClosedTwice: 0,
      closeEventsForOpenAuctions: 0,
    });
    expect(events.auctions).toMatchObject({ closed: 1, closeEvents: 1 });
  });
});
