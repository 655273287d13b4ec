import { randomUUID } from 'node:crypto';
import { TICKETING_COMMAND_TYPES } from '@suite/contracts';
import {
  leaseKey,
  type FencedHolds,
  poolTransactionRunner,
  type SagaCommandEnvelope,
} from '@suite/coordination';
import type { Consumer } from 'kafkajs';
import { SEED_EVENT_ID } from '../database/migrations';
import { SeatsRepository } from '../events/infra/seats.repository';
import { holdScope } from '../holds/domain/hold';
import { FENCED_HOLDS } from '../ticketing.tokens';
import { HoldsRepository } from '../holds/infra/holds.repository';
import { verifyTicketingInvariants } from '@suite/invariants';
import {
  startTicketingTestApp,
  waitFor,
  type TicketingTestApp,
} from '../testing/ticketing-test-app';
import { DECLINED_SOURCE, startPaymentsStandIn } from '../testing/payments-stand-in';
import { ticketingStepHandlers } from './saga-steps/ticketing-steps.handlers';

describe('checkout saga', () => {
  let t: TicketingTestApp;
  let payments: Consumer;
  const refunds: string[] = [];

  beforeAll(async () => {
    t = await startTicketingTestApp(
      'ticketing_checkout',
      { HOLD_TTL_MS: '60000', CHECKOUT_WAIT_MS: '15000' },
      true,
    );
    payments = await startPaymentsStandIn(t, (sagaId) => refunds.push(sagaId));
  });

  afterAll(async () => {
    await payments.disconnect();
    await t.close();
  });

  const hold = async (userId: string, seatIds: string[]) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs(userId),
      payload: { eventId: SEED_EVENT_ID, seatIds },
    });
    expect(r.statusCode).toBe(201);
    return r.json() as { holdId: string; tokens: Record<string, number> };
  };
  const checkout = async (
    userId: string,
    key: string,
    holdId: string,
    paymentSource = 'tok_visa',
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs(userId)), 'idempotency-key': key },
      payload: { holdId, paymentSource },
    });
  const clean = async () =>
    expect(await verifyTicketingInvariants(t.database.pool)).toEqual({
      seatsSoldTwice: 0,
      ticketsWithoutSoldSeat: 0,
      soldSeatsWithoutTicket: 0,
      seatsSoldToUndoneOrders: 0,
      sagasNotTerminal: 0,
      sagasFailed: 0,
    });

  it('checkout-happy-path-captures-confirms-and-issues-one-ticket-per-seat', async () => {
    const { holdId } = await hold('alice', ['A-1-1', 'A-1-2']);
    const response = await checkout('alice', randomUUID(), holdId);
    expect(response.statusCode).toBe(201);
    const order = response.json();
    expect(response.headers['location']).toBe(`/orders/${order.orderId}`);
    expect(order).toMatchObject({ status: 'completed', amountMinor: 9000, currency: 'EUR' });
    expect(order.tickets.map((x: { seatId: string }) => x.seatId)).toEqual(['A-1-1', 'A-1-2']);
    const got = await t.app.inject({
      method: 'GET',
      url: `/orders/${order.orderId}`,
      headers: await t.authAs('alice'),
    });
    expect(got.json()).toEqual(order);
    // Another user's order answers as a missing one, so its id is not confirmed to exist.
    const byBob = await t.app.inject({
      method: 'GET',
      url: `/orders/${order.orderId}`,
      headers: await t.authAs('bob'),
    });
    expect(byBob.statusCode).toBe(404);
    expect(byBob.json().message).toBe(`order ${order.orderId} does not exist`);
    const seats = await t.app.inject({
      method: 'GET',
      url: `/events/${SEED_EVENT_ID}/seats?section=A&limit=2`,
      headers: await t.authAs('alice'),
    });
    expect(seats.json().seats.map((s: { availability: string }) => s.availability)).toEqual([
      'sold',
      'sold',
    ]);
    const issued = await waitFor(
      async () => {
        const { rows } = await t.database.pool.query(
          `select 1 from outbox_messages where aggregate_key = $1 and headers->>'message-type' = 'TicketIssued' and published_at is not null`,
          [order.orderId],
        );
        return rows.length === 2 ? rows.length : undefined;
      },
      10_000,
      'TicketIssued published',
    );
    expect(issued).toBe(2);
    await clean();
  });

  it('payment-failure-compensation-releases-the-seats-and-issues-no-tickets', async () => {
    const { holdId } = await hold('bob', ['A-2-1']);
    const response = await checkout('bob', randomUUID(), holdId, DECLINED_SOURCE);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'failed',
      reason: 'payment-declined',
      reasonMessage: 'the payment was declined',
      tickets: [],
    });
    // The hold was released by the compensation: someone else may take the seat at once.
    await hold('carol', ['A-2-1']);
    const { rows } = await t.database.pool.query(
      `select 1 from outbox_messages where aggregate_key = $1 and headers->>'message-type' = 'CheckoutCompensated'`,
      [response.json().orderId],
    );
    expect(rows).toHaveLength(1);
    await clean();
  });

  it('same-idempotency-key-twice-returns-the-same-order-and-another-body-is-422', async () => {
    const { holdId } = await hold('dave', ['A-3-1']);
    const key = randomUUID();
    const first = await checkout('dave', key, holdId);
    const again = await checkout('dave', key, holdId);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['location']).toBe(first.headers['location']);
    const other = await checkout('dave', key, holdId, 'tok_other');
    expect(other.statusCode).toBe(422);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: await t.authAs('dave'),
      payload: { holdId, paymentSource: 'tok_visa' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('the Idempotency-Key header is required');
  });

  it('checkout-by-non-owner-answers-404-as-for-a-missing-hold', async () => {
    const { holdId } = await hold('erin', ['A-4-1']);
    const response = await checkout('mallory', randomUUID(), holdId);
    // The same answer as for an id nobody holds: nothing says the hold exists.
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe(`hold ${holdId} does not exist`);
    const nobody = randomUUID();
    const unknown = await checkout('mallory', randomUUID(), nobody);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe(`hold ${nobody} does not exist`);
  });

  it('stale-holder-cannot-confirm-after-its-hold-expired-and-the-seat-was-re-held', async () => {
    const seat = 'A-5-1';
    const stale = await hold('frank', [seat]);
    // Frank's hold lapses (as its TTL would) while his process is paused.
    await t.redis.client.del(leaseKey('ticketing', holdScope(SEED_EVENT_ID), seat));
    const fresh = await hold('grace', [seat]);
    expect(fresh.tokens[seat]).toBeGreaterThan(stale.tokens[seat] as number);

    // Frank wakes up and sends his confirmation with his old token.
    const handlers = ticketingStepHandlers({
      holds: new HoldsRepository(),
      seats: new SeatsRepository(),
      fencedHolds: { release: async () => ({ ok: true, released: 0 }) },
      leases: { holders: async () => new Map() },
      eventsTopic: t.config.TICKETING_EVENTS_TOPIC,
    });
    const confirm = handlers[TICKETING_COMMAND_TYPES.confirmSeats];
    if (!confirm) throw new Error('no ConfirmSeats handler');
    const command = (orderId: string): SagaCommandEnvelope => ({
      sagaId: orderId,
      sagaType: 'ticketing.checkout',
      step: 'confirm-seats',
      phase: 'action',
      attempt: 1,
      idempotencyKey: `${orderId}:confirm-seats`,
      type: TICKETING_COMMAND_TYPES.confirmSeats,
      replyTopic: t.config.TICKETING_REPLIES_TOPIC,
      payload: {
        orderId,
        holdId: stale.holdId,
        eventId: SEED_EVENT_ID,
        userId: 'frank',
        tokens: stale.tokens,
      },
    });
    const tx = poolTransactionRunner(t.database.pool);
    // Refused even before Grace confirms: her hold already advanced the fence.
    const early = await tx.inTransaction((sql) => confirm(sql, command(randomUUID())));
    expect(early).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/^stale hold/),
    });

    const bought = await checkout('grace', randomUUID(), fresh.holdId);
    expect(bought.json()).toMatchObject({ status: 'completed' });
    const late = await tx.inTransaction((sql) => confirm(sql, command(randomUUID())));
    expect(late).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^stale hold/) });

    const { rows } = await t.database.pool.query<{ sold_to: string }>(
      `select sold_to from seats where event_id = $1 and seat_id = $2`,
      [SEED_EVENT_ID, seat],
    );
    expect(rows).toEqual([{ sold_to: 'grace' }]);
    await clean();
  });

  it('a-ticket-conflict-fails-issue-tickets-and-the-saga-unconfirms-refunds-and-releases', async () => {
    const seat = 'A-6-1';
    const first = await checkout('heidi', randomUUID(), (await hold('heidi', [seat])).holdId);
    expect(first.json()).toMatchObject({ status: 'completed' });
    // The seat is freed by hand while heidi's ticket stays: only the tickets' unique key
    // now stands between the next buyer and a second ticket for the seat.
    await t.app.get<FencedHolds>(FENCED_HOLDS).release({
      scope: holdScope(SEED_EVENT_ID),
      resources: [seat],
      owner: first.json().holdId,
    });
    const freed = `update seats set status = 'available', sold_to = null, order_id = null, fence_token = null
                    where event_id = $1 and seat_id = $2`;
    await t.database.pool.query(freed, [SEED_EVENT_ID, seat]);
    try {
      const { holdId } = await hold('ivan', [seat, 'A-6-2']);
      const second = await checkout('ivan', randomUUID(), holdId);
      expect(second.statusCode).toBe(200);
      const orderId = second.json().orderId as string;
      expect(second.json()).toMatchObject({
        status: 'failed',
        reason: 'seats-unavailable',
        tickets: [],
      });
      // The participant's own words name another order's seat: operators read them in the
      // saga's history, the buyer never does.
      expect(second.body).not.toMatch(/already ticketed/);
      const { rows: history } = await t.database.pool.query(
        `select 1 from saga_history where saga_id = $1 and detail->>'reason' like '%already ticketed for another order: A-6-1%'`,
        [orderId],
      );
      expect(history.length).toBeGreaterThan(0);
      // Compensated in reverse: seats unsold, payment refunded, hold released.
      expect(refunds).toContain(orderId);
      const { rows: seats } = await t.database.pool.query(
        `select seat_id, status from seats where event_id = $1 and seat_id = any($2) order by 1`,
        [SEED_EVENT_ID, [seat, 'A-6-2']],
      );
      expect(seats).toEqual([
        { seat_id: 'A-6-1', status: 'available' },
        { seat_id: 'A-6-2', status: 'available' },
      ]);
      const { rows: holds } = await t.database.pool.query(
        `select status from holds where id = $1`,
        [holdId],
      );
      expect(holds).toEqual([{ status: 'released' }]);
    } finally {
      // Heidi's sale is put back, so the invariants of the other tests hold.
      await t.database.pool.query(
        `update seats set status = 'sold', sold_to = 'heidi', order_id = $3, fence_token = 1
          where event_id = $1 and seat_id = $2`,
        [SEED_EVENT_ID, seat, first.json().orderId],
      );
    }
    await clean();
  });
});
