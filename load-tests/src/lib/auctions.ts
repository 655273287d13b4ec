// Auctions for the load scenarios: created through the gateway, and bid on with the lowest
// amount that can still win, as the service last told the bidder.
import type { GatewayClient } from './gateway-client';

export interface LoadAuction {
  id: string;
  endsAtMs: number;
  // The lowest bid that could still win, as far as the bidders know.
  minimum: number;
}

// Auctions that end one after the other, the first after `firstEndS` seconds and the last
// after `lastEndS`, each created by one of a few sellers (the gateway limits auctions per
// seller and minute).
export async function createAuctions(
  client: GatewayClient,
  count: number,
  firstEndS: number,
  lastEndS: number,
): Promise<LoadAuction[]> {
  const sellers = await Promise.all(
    Array.from({ length: Math.ceil(count / 5) }, (_, i) => client.token(`load-seller-${i}`)),
  );
  const now = Date.now();
  const auctions: LoadAuction[] = [];
  for (let i = 0; i < count; i++) {
    const endsAtMs =
      now + 1_000 * (firstEndS + (count === 1 ? 0 : ((lastEndS - firstEndS) * i) / (count - 1)));
    const created = await client.call<{ id: string }>('auction.create', 'POST', '/auctions', {
      token: sellers[Math.floor(i / 5)] ?? '',
      body: {
        title: `Load lot ${i + 1}`,
        reservePrice: 1_000,
        bidIncrement: 100,
        endsAt: new Date(endsAtMs).toISOString(),
      },
    });
    if (created.status !== 201) throw new Error(`create auction: HTTP ${created.status}`);
    auctions.push({ id: created.body.id, endsAtMs, minimum: 1_000 });
  }
  return auctions;
}

// One bid at the known minimum plus a random step; learns the new minimum from the answer.
// Returns the outcome the scenario tallies: accepted, or the refusal's reason.
export async function bid(
  client: GatewayClient,
  token: string,
  auction: LoadAuction,
): Promise<string> {
  const amount = auction.minimum + 100 * Math.floor(Math.random() * 3);
  const reply = await client.call<{ reason?: string; minimumBid?: number | null }>(
    'bid',
    'POST',
    `/auctions/${auction.id}/bids`,
    { token, body: { amount } },
  );
  if (reply.status === 201) {
    auction.minimum = Math.max(auction.minimum, amount + 100);
    return 'bid accepted';
  }
  if (typeof reply.body?.minimumBid === 'number')
    auction.minimum = Math.max(auction.minimum, reply.body.minimumBid);
  return `bid refused: ${reply.body?.reason ?? `http ${reply.status}`}`;
}
