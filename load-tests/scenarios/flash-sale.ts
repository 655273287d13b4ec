// Flash sale: buyers arrive at a rising rate and race for a few hundred seats. Each arrival
// is one buyer of the demo's flash sale: a token, a hold of 1 to 3 seats (other seats on a
// conflict, three tries at most), then walking away (10%) or checking out and waiting for the
// order to finish; 5% of checkouts are sent twice with the same Idempotency-Key.
import { buyer } from '../src/demo/flash-sale';
import { defineScenario } from '../src/load/scenario';
import { firstEvent, seatIds } from '../src/lib/seed-data';

const SEATS = 500;
const HOLD_TTL_MS = 8_000;

export default defineScenario({
  name: 'flash-sale',
  description: `buyers race for ${SEATS} seats: hold, then check out or walk away`,
  load: {
    model: 'open',
    stages: [
      { rate: 5, durationS: 10 },
      { rateTo: 20, durationS: 20 },
    ],
    maxInFlight: 300,
  },
  thresholds: {
    'latency{request:hold}': ['p(99)<800'],
    'latency{request:checkout}': ['p(99)<1500'],
    error_rate: ['rate<0.01'],
    dropped: ['count==0'],
    violations: ['count==0'],
  },
  // Under faults, answers slow down and some fail while a dependency is down; no money or
  // seat may be lost, and the traffic must mostly be served around the fault windows.
  chaosThresholds: {
    error_rate: ['rate<0.25'],
    violations: ['count==0'],
  },
  // A lost race is an answer, not an error.
  expect: { hold: [201, 409], checkout: [200, 201, 202], 'checkout.retry': [200, 201, 202] },
  services: { ticketing: { HOLD_TTL_MS: String(HOLD_TTL_MS), OUTBOX_IDLE_DELAY_MS: '20' } },
  async setup(target, client) {
    const token = await client.token('load-operator');
    const event = await firstEvent(client, token);
    const seatPool = await seatIds(client, token, event.id, SEATS);
    // The PSP declines some cards, so some checkouts are compensated.
    const faults = await fetch(`${target.pspUrl}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(await target.operatorHeaders()) },
      body: JSON.stringify({ declineRate: 0.1 }),
    });
    if (!faults.ok) throw new Error(`the PSP's fault switch answered ${faults.status}`);
    return { event, seatPool };
  },
  async iteration(state, client, ctx) {
    const outcome = await buyer(
      client,
      ctx.iteration,
      { eventId: state.event.id, seatPool: state.seatPool, abandonRate: 0.1, retryRate: 0.05 },
      Date.now() + 30_000,
    );
    return outcome.checkout ? `checkout ${outcome.checkout}` : `hold ${outcome.hold}`;
  },
  ticketPriceMinor: (state) => state.event.priceMinor,
});
