// Auction close race: bidders crowd a few auctions as each one ends, so bids and the elected
// closer meet at the deadline. No bid may be accepted at or after an auction's end, each
// auction closes once, with the highest accepted bid as its winner and one close event on
// Kafka: the auction verifiers check all of it after the run.
import { defineScenario } from '../src/load/scenario';
import { bid, createAuctions, type LoadAuction } from '../src/lib/auctions';

const AUCTIONS = 6;
const BIDDERS = 300;

export default defineScenario({
  name: 'auction-close',
  description: `bidders crowd ${AUCTIONS} auctions as each one ends, racing the closer`,
  load: {
    model: 'open',
    stages: [
      { rate: 10, durationS: 5 },
      { rateTo: 60, durationS: 25 },
    ],
    maxInFlight: 300,
  },
  thresholds: {
    'latency{request:bid}': ['p(99)<1000'],
    'error_rate{request:bid}': ['rate<0.01'],
    violations: ['count==0'],
  },
  // Refusals (too low, closed) are answers, not errors; a bidder past its limit is an error.
  expect: { bid: [201, 409] },
  async setup(_target, client) {
    // The first auction ends 8 s into the run and the last 2 s before a default run's end.
    const auctions = await createAuctions(client, AUCTIONS, 8, 28);
    const bidders = await Promise.all(
      Array.from({ length: BIDDERS }, (_, i) => client.token(`load-bidder-${i}`)),
    );
    return { auctions, bidders };
  },
  async iteration(state, client, ctx) {
    const auction = nextToClose(state.auctions);
    if (!auction) return 'every auction ended';
    return bid(client, state.bidders[ctx.iteration % BIDDERS] ?? '', auction);
  },
});

// Most bids go to the auction that ends next; a few go to one that has just ended, which the
// service must refuse.
function nextToClose(auctions: readonly LoadAuction[]): LoadAuction | undefined {
  const now = Date.now();
  const open = auctions.filter((a) => a.endsAtMs > now);
  const justEnded = auctions.filter((a) => a.endsAtMs <= now && a.endsAtMs > now - 2_000);
  if (justEnded.length > 0 && Math.random() < 0.1) return justEnded[0];
  return open[0] ?? justEnded[0];
}
