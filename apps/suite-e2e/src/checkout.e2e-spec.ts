import type { Pool } from 'pg';
import {
  verifyEventsOnKafka,
  verifyMoneyTrail,
  verifyPaymentInvariants,
  verifyTicketingInvariants,
} from '@suite/invariants';
import { integrationEndpoints } from '@suite/testing';
import { call, newKey, pspFaults, serviceDatabase, tokenFor, until } from './support';

interface EventBody {
  events: { id: string; priceMinor: number }[];
}
interface SeatsBody {
  seats: { seatId: string; availability: string }[];
}
interface HoldBody {
  holdId: string;
  seatIds: string[];
}
interface OrderBody {
  orderId: string;
  status: string;
  tickets?: { seatId: string }[];
}

// The checkout through the gateway, against every real service: ticketing's holds and saga,
// payments and its ledger, the PSP simulator with injected faults, Kafka between them.
describe('checkout through the gateway', () => {
  let eventId: string;
  let seatIds: string[];
  let nextSeat = 0;
  let ticketingDb: Pool;
  let paymentsDb: Pool;
  let pspDb: Pool;
  let auctionDb: Pool;
  // Kafka's topics outlive the stack's fresh databases: judge only what this file caused.
  const started = new Date();
  const seats = (n: number) => {
    const picked = seatIds.slice(nextSeat, nextSeat + n);
    nextSeat += n;
    return picked;
  };

  const hold = (token: string, ids: string[]) =>
    call<HoldBody>('POST', '/holds', { token, body: { eventId, seatIds: ids } });
  const checkout = (token: string, holdId: string, key = newKey(), paymentSource = 'tok_visa') =>
    call<OrderBody>('POST', '/checkouts', {
      token,
      idempotencyKey: key,
      body: { holdId, paymentSource },
    });
  const settled = (token: string, orderId: string) =>
    until(`order ${orderId} to settle`, async () => {
      const order = await call<OrderBody>('GET', `/orders/${orderId}`, { token });
      return order.status === 200 && order.body.status !== 'pending' ? order.body : undefined;
    });
  const availability = async (token: string, ids: string[]) => {
    const list = await call<SeatsBody>('GET', `/events/${eventId}/seats?limit=500`, { token });
    return ids.map((id) => list.body.seats.find((s) => s.seatId === id)?.availability);
  };
  const capturedFor = async (orderId: string) =>
    Number(
      (
        await paymentsDb.query<{ n: string }>(
          "select count(*) as n from payments where merchant_reference = $1 and status in ('captured', 'partially_refunded', 'refunded')",
          [orderId],
        )
      ).rows[0]?.n,
    );

  beforeAll(async () => {
    ticketingDb = serviceDatabase('ticketing');
    paymentsDb = serviceDatabase('payments');
    pspDb = serviceDatabase('psp_simulator');
    auctionDb = serviceDatabase('auction');
    const token = await tokenFor('e2e-reader');
    const events = await call<EventBody>('GET', '/events', { token });
    const first = events.body.events[0];
    if (!first) throw new Error('no seeded event');
    eventId = first.id;
    const list = await call<SeatsBody>('GET', `/events/${eventId}/seats?limit=500`, { token });
    seatIds = list.body.seats.map((s) => s.seatId);
  });
  afterEach(() => pspFaults({}));
  afterAll(async () => {
    await Promise.all([ticketingDb.end(), paymentsDb.end(), pspDb.end(), auctionDb.end()]);
  });

  it('sells held seats: one payment, tickets for every seat', async () => {
    const alice = await tokenFor('e2e-alice');
    const mine = seats(2);
    const placed = await hold(alice, mine);
    expect(placed.status).toBe(201);
    const started = await checkout(alice, placed.body.holdId);
    expect([201, 202]).toContain(started.status);
    const order =
      started.body.status === 'completed'
        ? started.body
        : await settled(alice, started.body.orderId);
    expect(order.status).toBe('completed');
    expect(order.tickets?.map((t) => t.seatId).sort()).toEqual([...mine].sort());
    expect(await availability(alice, mine)).toEqual(['sold', 'sold']);
    expect(await capturedFor(order.orderId)).toBe(1);
  });

  it('gives one seat to exactly one of many buyers racing for it', async () => {
    const [seat] = seats(1);
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => tokenFor(`e2e-racer-${i}`)),
    );
    const results = await Promise.all(tokens.map((t) => hold(t, [seat as string])));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it('frees the seats of a hold that expired, for the next buyer', async () => {
    const [bob, carol] = await Promise.all([tokenFor('e2e-bob'), tokenFor('e2e-carol')]);
    const mine = seats(1);
    expect((await hold(bob, mine)).status).toBe(201);
    expect((await hold(carol, mine)).status).toBe(409);
    // The end-to-end stack holds seats for 3 s; then the seat is free and the next buyer gets it.
    await until(
      'the hold to expire',
      async () => ((await availability(carol, mine))[0] === 'available' ? true : undefined),
      15_000,
      500,
    );
    expect((await hold(carol, mine)).status).toBe(201);
  });

  it("refuses a checkout by anyone but the hold's owner", async () => {
    const [dave, mallory] = await Promise.all([tokenFor('e2e-dave'), tokenFor('e2e-mallory')]);
    const placed = await hold(dave, seats(1));
    const attempt = await checkout(mallory, placed.body.holdId);
    // Answered as for a missing hold, so that nobody learns another user's hold ids exist.
    expect(attempt.status).toBe(404);
  });

  it('compensates a declined payment: the seats are released and nothing is captured', async () => {
    const erin = await tokenFor('e2e-erin');
    const mine = seats(2);
    const placed = await hold(erin, mine);
    await pspFaults({ nextDeclines: 1 });
    const started = await checkout(erin, placed.body.holdId);
    const order = ['completed', 'failed'].includes(started.body.status)
      ? started.body
      : await settled(erin, started.body.orderId);
    expect(order.status).toBe('failed');
    expect(await availability(erin, mine)).toEqual(['available', 'available']);
    expect(await capturedFor(order.orderId)).toBe(0);
  });

  it('charges once when the PSP times out after charging and payments retries', async () => {
    const frank = await tokenFor('e2e-frank');
    const placed = await hold(frank, seats(1));
    // The PSP charges, then answers after payments (1 s timeout in this stack) gave up.
    await pspFaults({ nextTimeoutsAfterCharge: 1, hangMs: 1_500 });
    const started = await checkout(frank, placed.body.holdId);
    const order =
      started.body.status === 'completed'
        ? started.body
        : await settled(frank, started.body.orderId);
    expect(order.status).toBe('completed');
    expect(await capturedFor(order.orderId)).toBe(1);
    const report = await verifyPaymentInvariants(paymentsDb, pspDb);
    expect(report.paymentsChargedTwice).toBe(0);
  });

  it('answers the same Idempotency-Key with the same order, and a changed body with 422', async () => {
    const grace = await tokenFor('e2e-grace');
    const first = await hold(grace, seats(1));
    const second = await hold(grace, seats(1));
    const key = newKey();
    const a = await checkout(grace, first.body.holdId, key);
    const b = await checkout(grace, first.body.holdId, key);
    expect(b.body.orderId).toBe(a.body.orderId);
    const changed = await checkout(grace, second.body.holdId, key);
    expect(changed.status).toBe(422);
    await settled(grace, a.body.orderId);
  });

  // More concurrent checkouts than ticketing has database connections: a use case that held
  // one connection while waiting for a second from the same pool would deadlock here.
  it('completes many checkouts at once, more than the services have connections', async () => {
    const buyers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => tokenFor(`e2e-crowd-${i}`)),
    );
    const holds = await Promise.all(buyers.map((token) => hold(token, seats(1))));
    expect(holds.every((h) => h.status === 201)).toBe(true);
    // As a client would: a checkout the gateway timed out (504), or one whose first request
    // is still in flight (409), is sent again with the same Idempotency-Key, which gets the
    // same order back. A deadlock would time out every try.
    const checkoutOnce = async (token: string, holdId: string) => {
      const key = newKey();
      let reply = await checkout(token, holdId, key);
      for (
        let attempt = 1;
        attempt < 6 && (reply.status === 504 || reply.status === 409);
        attempt++
      ) {
        await new Promise((r) => setTimeout(r, 500));
        reply = await checkout(token, holdId, key);
      }
      return reply;
    };
    const started = await Promise.all(
      buyers.map((token, i) => checkoutOnce(token, holds[i]?.body.holdId ?? '')),
    );
    expect(started.map((s) => s.status).filter((status) => status >= 300)).toEqual([]);
    const orders = await Promise.all(
      started.map((s, i) =>
        s.body.status === 'completed' ? s.body : settled(buyers[i] ?? '', s.body.orderId),
      ),
    );
    expect(orders.map((o) => o.status)).toEqual(buyers.map(() => 'completed'));
  });

  it('leaves no invariant broken', async () => {
    await until('every saga to end', async () => {
      const { rows } = await ticketingDb.query<{ n: string }>(
        "select count(*) as n from saga_instances where status in ('running', 'compensating')",
      );
      return Number(rows[0]?.n) === 0 ? true : undefined;
    });
    expect(await verifyTicketingInvariants(ticketingDb)).toEqual({
      seatsSoldTwice: 0,
      ticketsWithoutSoldSeat: 0,
      soldSeatsWithoutTicket: 0,
      seatsSoldToUndoneOrders: 0,
      sagasNotTerminal: 0,
      sagasFailed: 0,
    });
    const payments = await verifyPaymentInvariants(paymentsDb, pspDb);
    expect({ ...payments, pspChargesPerPayment: undefined }).toEqual({
      unbalancedEntries: 0,
      unbalancedCurrencies: 0,
      paymentsBookedTwice: 0,
      ledgerMismatches: 0,
      paymentsChargedTwice: 0,
      pspChargesPerPayment: undefined,
    });
    // Where the outside world sees it: the money at the PSP, and the events on Kafka.
    const trail = await verifyMoneyTrail({
      psp: pspDb,
      payments: paymentsDb,
      ticketing: ticketingDb,
      since: started,
    });
    expect(trail.violations).toEqual({
      moneyKeptWithoutTickets: 0,
      ticketedOrdersNotPaidInFull: 0,
      ordersChargedMoreThanOnce: 0,
      chargesWithoutPayment: 0,
      sagasNotTerminal: 0,
      sagasFailed: 0,
      sagasQuarantined: 0,
    });
    // Every row written before the sagas ended must be on Kafka once the relays had 5 s.
    await new Promise((r) => setTimeout(r, 5_000));
    const events = await verifyEventsOnKafka({
      kafkaBrokers: integrationEndpoints().kafkaBrokers,
      databases: { ticketing: ticketingDb, payments: paymentsDb, auction: auctionDb },
      settleMs: 5_000,
      since: started,
    });
    expect({ ...events.violations, examples: events.examples }).toEqual({
      rowsNeverOnKafka: 0,
      inventedMessages: 0,
      closedAuctionsWithoutEvent: 0,
      closedAuctionsClosedTwice: 0,
      closeEventsForOpenAuctions: 0,
      examples: {},
    });
  });
});
