// A short auction race through the gateway: bidders raise each other's bids up to the close;
// the elected closer declares the winner. Returns what the report shows.
import type { GatewayClient } from '../lib/gateway-client';

export interface AuctionRaceResult {
  auctionId: string;
  bidsSent: number;
  accepted: number;
  rejected: Record<string, number>;
  winner: { bidderId: string; amount: number } | null;
  highestAccepted: number;
  closedAfterEndMs: number | null;
}

interface AuctionView {
  id: string;
  phase: string;
  endsAt: string;
  closedAt: string | null;
  winner: { bidderId: string; amount: number } | null;
}

export async function runAuctionRace(
  client: GatewayClient,
  options: { bidders: number; durationMs: number },
): Promise<AuctionRaceResult> {
  const seller = await client.token('demo-seller');
  const created = await client.call<AuctionView>('auction.create', 'POST', '/auctions', {
    token: seller,
    body: {
      title: 'Signed tour poster',
      reservePrice: 5_000,
      bidIncrement: 100,
      endsAt: new Date(Date.now() + options.durationMs).toISOString(),
    },
  });
  if (created.status !== 201) throw new Error(`create auction: HTTP ${created.status}`);
  const id = created.body.id;
  const tokens = await Promise.all(
    Array.from({ length: options.bidders }, (_, i) => client.token(`demo-bidder-${i}`)),
  );
  const rejected: Record<string, number> = {};
  let accepted = 0;
  let sent = 0;
  let highest = 0;
  let minimum = 100;
  const end = Date.now() + options.durationMs + 500;
  // Each bidder bids the current minimum, or a little above, until the auction has closed.
  await Promise.all(
    tokens.map(async (token, i) => {
      while (Date.now() < end) {
        const amount = minimum + 100 * (i % 3);
        sent += 1;
        const reply = await client.call<{
          outcome: string;
          reason?: string;
          minimumBid?: number | null;
        }>('auction.bid', 'POST', `/auctions/${id}/bids`, { token, body: { amount } });
        if (reply.status === 201) {
          accepted += 1;
          highest = Math.max(highest, amount);
        } else {
          const reason = reply.body.reason ?? `http-${reply.status}`;
          rejected[reason] = (rejected[reason] ?? 0) + 1;
        }
        if (typeof reply.body.minimumBid === 'number')
          minimum = Math.max(minimum, reply.body.minimumBid);
        // Human-paced: about two bids a second each, inside the per-user bid limit.
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
      }
    }),
  );
  let view = (await client.call<AuctionView>('auction.get', 'GET', `/auctions/${id}`)).body;
  for (let i = 0; i < 40 && view.phase !== 'closed'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    view = (await client.call<AuctionView>('auction.get', 'GET', `/auctions/${id}`)).body;
  }
  return {
    auctionId: id,
    bidsSent: sent,
    accepted,
    rejected,
    winner: view.winner,
    highestAccepted: highest,
    closedAfterEndMs: view.closedAt ? Date.parse(view.closedAt) - Date.parse(view.endsAt) : null,
  };
}
