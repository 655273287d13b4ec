import { randomUUID } from 'node:crypto';
import { verifyTicketingInvariants } from '@suite/invariants';
import type { Consumer } from 'kafkajs';
import type { PoolClient } from 'pg';
import { SEED_EVENT_ID } from '../../database/migrations';
import { startPaymentsStandIn } from '../../testing/payments-stand-in';
import { startTicketingTestApp, type TicketingTestApp } from '../../testing/ticketing-test-app';

type Reply = Awaited<ReturnType<TicketingTestApp['app']['inject']>>;

// The hold's transaction takes the per-(user, event) advisory lock first. A test connection
// that holds that lock keeps every hold of the user inside its transaction, on a pooled
// connection, for as long as the test likes: a burst of holds that Postgres is slow to
// record, made deterministic.
async function blockHoldsOf(t: TicketingTestApp, userId: string): Promise<() => Promise<void>> {
  const client: PoolClient = await t.database.pool.connect();
  const key = `held-seats:${SEED_EVENT_ID}:${userId}`;
  await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
  return async () => {
    await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    client.release();
  };
}

const placeHold = async (t: TicketingTestApp, userId: string, seatIds: string[]) =>
  t.app.inject({
    method: 'POST',
    url: '/holds',
    headers: await t.authAs(userId),
    payload: { eventId: SEED_EVENT_ID, seatIds },
  });

// Resolves once `count` of the replies have come back, with those replies.
function firstAnswered(replies: Promise<Reply>[], count: number): Promise<Reply[]> {
  return new Promise((resolve) => {
    const done: Reply[] = [];
    for (const reply of replies) {
      void reply.then((r) => {
        done.push(r);
        if (done.length === count) resolve([...done]);
      });
    }
  });
}

const seats = (row: number, count: number) =>
  Array.from({ length: count }, (_, i) => `H-${row}-${i + 1}`);

// HOLD_ADMISSION_*: at most N holds record in Postgres at once, a bounded queue waits
// briefly, the rest are told 429 with Retry-After; real Postgres and Redis.
describe('hold admission', () => {
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_hold_admission', {
      HOLD_TTL_MS: '60000',
      HOLD_ADMISSION_IN_FLIGHT: '2',
      HOLD_ADMISSION_QUEUE: '3',
      HOLD_ADMISSION_WAIT_MS: '1500',
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('holds-over-the-bound-queue-and-past-the-queue-are-refused-429-with-retry-after', async () => {
    const unblock = await blockHoldsOf(t, 'crowd');
    const wanted = seats(1, 8);
    const replies = wanted.map((seat) => placeHold(t, 'crowd', [seat]));
    // 2 in flight (stuck on the lock), 3 queued: the other 3 are answered at once.
    const refused = await firstAnswered(replies, 3);
    for (const r of refused) {
      expect(r.statusCode).toBe(429);
      expect(r.headers['retry-after']).toBe('2');
      expect(r.json()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many holds are being placed right now; try again in 2 s',
        code: 'hold-admission-full',
      });
    }
    await unblock();
    const all = await Promise.all(replies);
    expect(all.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(all.filter((r) => r.statusCode === 429)).toHaveLength(3);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^hold_admission_refused_total{why="queue-full"[^}]*} 3$/m);
    // A refused hold gave its lease back: its seat is free for anyone at once.
    const placed = new Set(
      all.filter((r) => r.statusCode === 201).flatMap((r) => r.json().seatIds as string[]),
    );
    const freed = wanted.filter((seat) => !placed.has(seat));
    expect(freed).toHaveLength(3);
    expect((await placeHold(t, 'latecomer', freed)).statusCode).toBe(201);
  });

  it('a-queued-hold-is-refused-once-it-has-waited-HOLD_ADMISSION_WAIT_MS', async () => {
    const unblock = await blockHoldsOf(t, 'patient');
    const started = Date.now();
    const replies = seats(2, 3).map((seat) => placeHold(t, 'patient', [seat]));
    const [late] = await firstAnswered(replies, 1);
    const waitedMs = Date.now() - started;
    expect(late?.statusCode).toBe(429);
    expect(waitedMs).toBeGreaterThanOrEqual(1_400);
    await unblock();
    expect((await Promise.all(replies)).map((r) => r.statusCode).sort()).toEqual([201, 201, 429]);
  });
});

// The point of the bound: a burst of holds stuck in Postgres takes at most
// HOLD_ADMISSION_IN_FLIGHT connections, and a checkout runs to completion on the rest.
describe('hold admission leaves the pool to checkouts', () => {
  let t: TicketingTestApp;
  let payments: Consumer;

  beforeAll(async () => {
    t = await startTicketingTestApp(
      'ticketing_admission_checkout',
      {
        HOLD_TTL_MS: '60000',
        CHECKOUT_WAIT_MS: '15000',
        DATABASE_POOL_SIZE: '10',
        HOLD_ADMISSION_IN_FLIGHT: '3',
        HOLD_ADMISSION_QUEUE: '50',
        HOLD_ADMISSION_WAIT_MS: '20000',
      },
      true,
    );
    payments = await startPaymentsStandIn(t);
  });

  afterAll(async () => {
    await payments.disconnect();
    await t.close();
  });

  it('a-checkout-completes-while-a-burst-of-holds-more-than-the-pool-is-stuck-in-postgres', async () => {
    const bought = await placeHold(t, 'buyer', ['A-1-1']);
    expect(bought.statusCode).toBe(201);
    const unblock = await blockHoldsOf(t, 'crowd');
    // 15 holds: without the bound they would take all 10 connections until unblocked.
    const burst = seats(3, 15).map((seat) => placeHold(t, 'crowd', [seat]));
    let burstAnswered = 0;
    for (const r of burst) void r.then(() => (burstAnswered += 1));
    const checkout = await t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs('buyer')), 'idempotency-key': randomUUID() },
      payload: { holdId: bought.json().holdId, paymentSource: 'tok_visa' },
    });
    expect(checkout.statusCode).toBe(201);
    expect(checkout.json()).toMatchObject({ status: 'completed' });
    // Every hold of the burst was still waiting: the checkout never queued behind them.
    expect(burstAnswered).toBe(0);
    await unblock();
    expect((await Promise.all(burst)).map((r) => r.statusCode)).toEqual(Array(15).fill(201));
    expect(await verifyTicketingInvariants(t.database.pool)).toMatchObject({
      seatsSoldTwice: 0,
      ticketsWithoutSoldSeat: 0,
      soldSeatsWithoutTicket: 0,
      sagasFailed: 0,
    });
  });
});
