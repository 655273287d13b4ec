// Mixed traffic: most visitors browse seats, some buy (the flash sale's buyer), some bid on
// a few long auctions. Each kind keeps its own latency and error thresholds, and every
// verifier stays at 0.
import { buyer } from '../src/demo/flash-sale';
import { bid, createAuctions } from '../src/lib/auctions';
import { firstEvent, seatIds } from '../src/lib/seed-data';
import { defineScenario } from '../src/load/scenario';

const SEATS = 1_000;
const READERS = 200;

export default defineScenario({
  name: 'mixed',
  description: 'browse 70%, buy 20%, bid 10%, at a steady rate',
  load: { model: 'open', stages: [{ rate: 30, durationS: 30 }], maxInFlight: 300 },
  thresholds: {
    'latency{request:seats}': ['p(99)<1000'],
    'latency{request:bid}': ['p(99)<1000'],
    'error_rate{request:seats}': ['rate<0.01'],
    'error_rate{request:bid}': ['rate<0.01'],
    violations: ['count==0'],
  },
  expect: {
    hold: [201, 409],
    checkout: [200, 201, 202],
    'checkout.retry': [200, 201, 202],
    bid: [201, 409],
  },
  async setup(_target, client) {
    const token = await client.token('load-operator');
    const event = await firstEvent(client, token);
    const seatPool = await seatIds(client, token, event.id, SEATS);
    // They outlast any run, a soak's included: bids stay open throughout.
    const auctions = await createAuctions(client, 3, 6 * 3600, 6 * 3600);
    const readers = await Promise.all(
      Array.from({ length: READERS }, (_, i) => client.token(`mixed-reader-${i}`)),
    );
    return { event, seatPool, auctions, readers };
  },
  async iteration(state, client, ctx) {
    const token = state.readers[ctx.iteration % READERS] ?? '';
    const roll = ctx.iteration % 10;
    if (roll < 7) {
      await client.call('seats', 'GET', `/events/${state.event.id}/seats?limit=20`, { token });
      return 'browsed';
    }
    if (roll < 9) {
      const outcome = await buyer(
        client,
        ctx.iteration,
        { eventId: state.event.id, seatPool: state.seatPool, abandonRate: 0.1, retryRate: 0.05 },
        Date.now() + 30_000,
      );
      return outcome.checkout ? `checkout ${outcome.checkout}` : `hold ${outcome.hold}`;
    }
    const auction = state.auctions[ctx.iteration % state.auctions.length];
    return auction ? bid(client, token, auction) : 'no auction';
  },
  ticketPriceMinor: (state) => state.event.priceMinor,
});
