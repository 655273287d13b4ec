import { bidStormHistory } from './testing/bid-history';
import {
  checkLinearizable,
  createTestDatabase,
  type HistoryOperation,
  type TestDatabase,
} from '@suite/testing';
import { startAuctionApp, type AuctionTestApp } from './testing/auction-harness';

// The checker on hand-made histories first: it must accept a legal one and catch each kind
// of illegal one, or no verdict on a real history would mean anything.
describe('lincheck (porcupine) on the bids model', () => {
  const op = (
    client: number,
    call: number,
    ret: number,
    over: Partial<HistoryOperation>,
  ): HistoryOperation => ({
    client,
    key: 'auction-1',
    op: 'bid',
    call,
    return: ret,
    ok: true,
    increment: 10,
    ...over,
  });

  it('accepts overlapping bids that have a legal order, then a close with the highest', async () => {
    const verdict = await checkLinearizable(
      'bids-legal',
      [
        op(1, 0, 10, { amount: 100 }),
        op(2, 5, 30, { amount: 120 }), // overlaps 3: may go first
        op(3, 6, 30, { amount: 105, ok: false, reason: 'too-low' }),
        op(4, 40, 50, { amount: 200 }),
        op(0, 60, 70, { op: 'close', winning: 200 }),
        op(5, 80, 90, { amount: 900, ok: false, reason: 'closed' }),
      ],
      'bids',
    );
    expect(verdict).toEqual({ model: 'bids', result: 'Ok', operations: 6 });
  });

  it('catches a later accepted bid lower than an earlier one', async () => {
    const verdict = await checkLinearizable(
      'bids-decreasing',
      [op(1, 0, 10, { amount: 200 }), op(2, 20, 30, { amount: 150 })],
      'bids',
    );
    expect(verdict.result).toBe('Illegal');
  });

  it('catches a bid accepted after the close', async () => {
    const verdict = await checkLinearizable(
      'bids-after-close',
      [
        op(1, 0, 10, { amount: 100 }),
        op(0, 20, 30, { op: 'close', winning: 100 }),
        op(2, 40, 50, { amount: 500 }),
      ],
      'bids',
    );
    expect(verdict.result).toBe('Illegal');
  });

  it('catches a close that names a winning amount no bid reached', async () => {
    const verdict = await checkLinearizable(
      'bids-wrong-winner',
      [
        op(1, 0, 10, { amount: 100 }),
        op(2, 20, 30, { amount: 150 }),
        op(0, 40, 50, { op: 'close', winning: 100 }),
      ],
      'bids',
    );
    expect(verdict.result).toBe('Illegal');
  });
});

describe('the service bid history', () => {
  let db: TestDatabase;
  let service: AuctionTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('auction_lincheck', 3);
    // The test is the closer here, so it can time the close into the history.
    service = await startAuctionApp(db, { CLOSER: 'off', OUTBOX_RELAY: 'off' });
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('is linearizable: 40 clients racing on 2 auctions up to and through the close', async () => {
    const history = await bidStormHistory(service, db, {
      clients: 40,
      bidsEach: 25,
      auctions: 2,
      endsInMs: 1_500,
    });
    const verdict = await checkLinearizable('auction-bids-atomic', history, 'bids');
    const accepted = history.filter((o) => o.op === 'bid' && o.ok).length;
    console.log(
      `atomic bid history: ${history.length} operations, ${accepted} accepted, porcupine ${verdict.result}`,
    );
    expect(history.filter((o) => o.op === 'close')).toHaveLength(2);
    expect(verdict).toMatchObject({ model: 'bids', result: 'Ok' });
  }, 60_000);
});
