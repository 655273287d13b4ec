// Checkout storm with retries: every buyer holds a seat and sends the same checkout three
// times at once with one Idempotency-Key, as a client whose first attempts timed out would.
// Every copy must answer with the same order, and the PSP must see one charge per order: the
// payment verifiers trace every charge to an order after the run.
import { randomUUID } from 'node:crypto';
import { defineScenario } from '../src/load/scenario';
import { firstEvent, seatIds } from '../src/lib/seed-data';

const SEATS = 1_000;
const COPIES = 3;

export default defineScenario({
  name: 'checkout-storm',
  description: `each buyer sends one checkout ${COPIES} times at once with one Idempotency-Key`,
  load: {
    model: 'open',
    stages: [
      { rate: 5, durationS: 5 },
      { rateTo: 15, durationS: 25 },
    ],
    maxInFlight: 200,
  },
  thresholds: {
    'latency{request:checkout}': ['p(99)<3000'],
    'error_rate{request:checkout}': ['rate<0.01'],
    'outcomes{outcome:copies answered different orders}': ['count==0'],
    violations: ['count==0'],
  },
  // A copy that arrives while the first is still running may be told so (409).
  expect: { hold: [201, 409], checkout: [200, 201, 202, 409] },
  async setup(_target, client) {
    const token = await client.token('load-operator');
    const event = await firstEvent(client, token);
    return { event, seatPool: await seatIds(client, token, event.id, SEATS) };
  },
  async iteration(state, client, ctx) {
    const token = await client.token(`storm-buyer-${ctx.iteration}`);
    const seat = state.seatPool[ctx.iteration % state.seatPool.length] ?? '';
    const hold = await client.call<{ holdId: string }>('hold', 'POST', '/holds', {
      token,
      body: { eventId: state.event.id, seatIds: [seat] },
    });
    if (hold.status !== 201) return 'seat taken';
    const request = {
      token,
      idempotencyKey: randomUUID(),
      body: { holdId: hold.body.holdId, paymentSource: 'tok_visa' },
    };
    const copies = await Promise.all(
      Array.from({ length: COPIES }, () =>
        client.call<{ orderId?: string }>('checkout', 'POST', '/checkouts', request),
      ),
    );
    const orders = new Set(
      copies.filter((c) => c.status < 300 && c.body?.orderId).map((c) => c.body.orderId),
    );
    if (orders.size > 1) return 'copies answered different orders';
    return orders.size === 1 ? 'one order' : 'no copy answered with an order';
  },
  ticketPriceMinor: (state) => state.event.priceMinor,
});
