import { checkLinearizable, createTestDatabase, type TestDatabase } from '@suite/testing';
import { verifyAuctionInvariants } from '@suite/invariants';
import { startAuctionApp, type AuctionTestApp } from './testing/auction-harness';
import { bidStormHistory } from './testing/bid-history';

// The naive variant (BID_MODE=naive: read the auction, decide in the process, write with no
// check) under the same race as the real one. The verifier and porcupine must both catch
// it, which shows they can fail.
describe('naive read-then-write bids', () => {
  const TOPIC = 'auction.events.naive';
  let db: TestDatabase;
  let service: AuctionTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('auction_naive', 3);
    service = await startAuctionApp(db, { CLOSER: 'off', OUTBOX_RELAY: 'off', BID_MODE: 'naive' });
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('accepts bids out of order (and after the close), which the verifier and porcupine catch', async () => {
    const history = await bidStormHistory(service, db, {
      clients: 40,
      bidsEach: 25,
      auctions: 2,
      endsInMs: 1_500,
      topic: TOPIC,
    });
    const report = await verifyAuctionInvariants(db.pool, TOPIC);
    const verdict = await checkLinearizable('auction-bids-naive', history, 'bids');
    console.log(`naive bids: porcupine ${verdict.result}; ${JSON.stringify(report)}`);
    expect(report.violations.bidsNotBeatingPrevious).toBeGreaterThan(0);
    expect(report.total).toBeGreaterThan(0);
    expect(verdict.result).toBe('Illegal');
  }, 60_000);
});
