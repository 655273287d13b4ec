import { poolTransactionRunner } from '@suite/coordination';
import { HistoryRecorder, type HistoryOperation, type TestDatabase } from '@suite/testing';
import { closeAuction } from '../auctions/close-auctions/close-auction';
import type { AuctionTestApp } from './auction-harness';

const INCREMENT = 10;

// Clients race bids (over HTTP, in-process) on a few auctions up to and past their end,
// while the test closes each auction at its end; every call is recorded for porcupine.
export async function bidStormHistory(
  service: AuctionTestApp,
  db: TestDatabase,
  options: {
    clients: number;
    bidsEach: number;
    auctions: number;
    endsInMs: number;
    topic?: string;
  },
): Promise<HistoryOperation[]> {
  const recorder = new HistoryRecorder();
  const endsAt = new Date(Date.now() + options.endsInMs).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < options.auctions; i++) {
    const response = await service.app.inject({
      method: 'POST',
      url: '/auctions',
      headers: { authorization: await service.authorization('seller') },
      payload: { title: `history ${i}`, reservePrice: 0, bidIncrement: INCREMENT, endsAt },
    });
    ids.push((response.json() as { id: string }).id);
  }
  const tx = poolTransactionRunner(db.pool);

  const closer = async (auctionId: string, client: number) => {
    await new Promise((r) => setTimeout(r, Date.parse(endsAt) - Date.now() + 5));
    for (let attempt = 0; attempt < 100; attempt++) {
      const outcome = await recorder.record(
        client,
        auctionId,
        'close',
        () =>
          tx.inTransaction((sql) =>
            closeAuction(sql, auctionId, 1, options.topic ?? 'auction.events.history'),
          ),
        (o) => o.kind === 'closed',
        (o) => ({ winning: o.kind === 'closed' ? (o.event.highestBid ?? 0) : 0 }),
      );
      if (outcome.kind === 'closed') return;
      recorder.operations.pop(); // not due yet by the database clock: nothing happened
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const bidder = async (client: number) => {
    const auctionId = ids[client % ids.length] ?? '';
    const authorization = await service.authorization(`bidder-${client}`);
    let next = INCREMENT * (1 + (client % 5));
    for (let i = 0; i < options.bidsEach; i++) {
      const amount = next;
      const response = await recorder.record(
        client,
        auctionId,
        'bid',
        () =>
          service.app.inject({
            method: 'POST',
            url: `/auctions/${auctionId}/bids`,
            headers: { authorization },
            payload: { amount },
          }),
        (r) => r.statusCode === 201,
        (r) => ({
          amount,
          increment: INCREMENT,
          ...(r.statusCode === 201 ? {} : { reason: (r.json() as { reason: string }).reason }),
        }),
      );
      const body = response.json() as { reason?: string; minimumBid?: number };
      if (response.statusCode === 201) next = amount + INCREMENT * (1 + (client % 3));
      else if (body.reason === 'closed') return;
      else next = (body.minimumBid ?? amount) + INCREMENT * (client % 3);
    }
  };

  await Promise.all([
    ...ids.map((id, i) => closer(id, options.clients + i)),
    ...Array.from({ length: options.clients }, (_, c) => bidder(c)),
  ]);
  return recorder.operations;
}
