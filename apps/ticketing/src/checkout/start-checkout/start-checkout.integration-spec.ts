// What POST /checkouts accepts is bounded by what payments and the PSP accept: a checkout
// they would refuse is refused at the edge, before a hold is taken out of sale by a saga.
import { randomUUID } from 'node:crypto';
import { CAPTURE_PAYMENT_LIMITS } from '@suite/contracts';
import { SEED_EVENT_ID, SEED_VENUE_ID } from '../../database/migrations';
import { startTicketingTestApp, type TicketingTestApp } from '../../testing/ticketing-test-app';

describe('checkout input bounds', () => {
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_checkout_bounds', {
      HOLD_TTL_MS: '60000',
      CHECKOUT_WAIT_MS: '0',
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const hold = async (userId: string, eventId: string, seatIds: string[]) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs(userId),
      payload: { eventId, seatIds },
    });
    expect(r.statusCode).toBe(201);
    return r.json() as { holdId: string };
  };
  const checkout = async (userId: string, holdId: string, paymentSource: string) =>
    t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs(userId)), 'idempotency-key': randomUUID() },
      payload: { holdId, paymentSource },
    });
  const ordersOf = async (holdId: string) => {
    const { rows } = await t.database.pool.query(`select id from orders where hold_id = $1`, [
      holdId,
    ]);
    return rows.length;
  };

  it('a-payment-source-longer-than-the-psp-accepts-is-refused-with-400-naming-the-limit', async () => {
    expect(CAPTURE_PAYMENT_LIMITS.maxSourceTokenLength).toBe(100);
    const { holdId } = await hold('alice', SEED_EVENT_ID, ['E-1-1']);
    const tooLong = await checkout('alice', holdId, 't'.repeat(101));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toEqual(['paymentSource must be 1 to 100 characters long']);
    expect(await ordersOf(holdId)).toBe(0);
    // The longest source the PSP takes is accepted.
    const longest = await checkout('alice', holdId, 't'.repeat(100));
    expect(longest.statusCode).toBe(202);
  });

  it('an-order-whose-amount-payments-would-refuse-is-refused-with-422-and-starts-no-saga', async () => {
    // 6 seats at 200,000.00: 120,000,000 minor units, over the PSP's 100,000,000 ceiling.
    const eventId = randomUUID();
    await t.database.pool.query(
      `insert into events (id, venue_id, name, starts_at, price_minor, currency)
       values ($1, $2, 'Gala', '2031-01-01T19:00:00Z', 20000000, 'EUR')`,
      [eventId, SEED_VENUE_ID],
    );
    const seatIds = Array.from({ length: 6 }, (_, i) => `G-1-${i + 1}`);
    await t.database.pool.query(
      `insert into seats (event_id, seat_id, section, row_label, number)
       select $1, 'G-1-' || n, 'G', '1', n from generate_series(1, 6) n`,
      [eventId],
    );
    const { holdId } = await hold('bob', eventId, seatIds);
    const refused = await checkout('bob', holdId, 'tok_visa');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toBe(
      "the order's amount (120000000 minor units) is outside what payments accept (1 to 100000000)",
    );
    expect(await ordersOf(holdId)).toBe(0);
    const { rows } = await t.database.pool.query(`select status from holds where id = $1`, [
      holdId,
    ]);
    expect(rows).toEqual([{ status: 'active' }]);
  });
});
