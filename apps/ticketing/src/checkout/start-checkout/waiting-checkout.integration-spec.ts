// A waiting POST /checkouts learns that its saga ended from the NOTIFY of the transaction
// that ended it, whichever instance committed it, not from its poll: here another
// orchestrator (standing for another instance) ends the saga while this app, which drives
// nothing itself, polls only every 10 s.
import { randomUUID } from 'node:crypto';
import { outboxWriter, poolTransactionRunner, SagaOrchestrator } from '@suite/coordination';
import { SEED_EVENT_ID } from '../../database/migrations';
import {
  startTicketingTestApp,
  waitFor,
  type TicketingTestApp,
} from '../../testing/ticketing-test-app';
import { CHECKOUT_STEPS, checkoutSaga } from '../domain/checkout.saga';

const WAIT_MS = 3_000;
// Longer than the whole wait: a checkout that answers with the outcome was woken.
const POLL_MS = 10_000;

describe('a waiting checkout', () => {
  let t: TicketingTestApp;
  let elsewhere: SagaOrchestrator;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_waiting_checkout', {
      HOLD_TTL_MS: '60000',
      CHECKOUT_WAIT_MS: String(WAIT_MS),
      CHECKOUT_POLL_MS: String(POLL_MS),
    });
    elsewhere = new SagaOrchestrator({
      tx: poolTransactionRunner(t.database.pool),
      outbox: outboxWriter(),
    }).register(
      checkoutSaga({
        ticketingCommandsTopic: t.config.TICKETING_COMMANDS_TOPIC,
        paymentsCommandsTopic: t.config.PAYMENTS_COMMANDS_TOPIC,
        replyTopic: t.config.TICKETING_REPLIES_TOPIC,
        stepTimeoutMs: t.config.STEP_TIMEOUT_MS,
        stepMaxAttempts: t.config.STEP_MAX_ATTEMPTS,
        paymentTimeoutMs: t.config.PAYMENT_TIMEOUT_MS,
        paymentMaxAttempts: t.config.PAYMENT_MAX_ATTEMPTS,
      }),
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const startCheckout = async (userId: string, seatId: string) => {
    const held = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs(userId),
      payload: { eventId: SEED_EVENT_ID, seatIds: [seatId] },
    });
    expect(held.statusCode).toBe(201);
    const { holdId } = held.json() as { holdId: string };
    const sentAt = Date.now();
    const answer = t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs(userId)), 'idempotency-key': randomUUID() },
      payload: { holdId, paymentSource: 'tok_visa' },
    });
    const orderId = await waitFor(
      async () => {
        const { rows } = await t.database.pool.query<{ id: string }>(
          `select id from orders where hold_id = $1`,
          [holdId],
        );
        return rows[0]?.id;
      },
      WAIT_MS,
      'the order',
    );
    return { answer, orderId, sentAt };
  };

  // The other instance's verification refuses the hold: the saga ends, compensated.
  const endElsewhere = async (orderId: string) => {
    const applied = await poolTransactionRunner(t.database.pool).inTransaction((sql) =>
      elsewhere.handleReply(sql, {
        sagaId: orderId,
        step: CHECKOUT_STEPS.verifyHold,
        phase: 'action',
        attempt: 1,
        outcome: 'failed',
        retriable: false,
        reason: 'the hold has expired',
      }),
    );
    expect(applied).toMatchObject({ applied: true });
  };

  it('answers-with-the-outcome-at-once-when-another-instance-ends-its-saga', async () => {
    const { answer, orderId } = await startCheckout('carol', 'A-1-1');
    await endElsewhere(orderId);
    const endedAt = Date.now();
    const response = await answer;
    const heardAfterMs = Date.now() - endedAt;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ orderId, status: 'failed', reason: 'hold-not-valid' });
    expect(response.headers.location).toBe(`/orders/${orderId}`);
    // Polling alone would have answered 202 at the end of the wait.
    expect(heardAfterMs).toBeLessThan(500);
  });

  // The listener's connection dies (a Postgres restart, a failover, an idle timeout): it
  // listens again by itself, and the next end is heard as before.
  it('listens-again-after-its-connection-is-killed-and-hears-the-next-end-at-once', async () => {
    const listeners = async () => {
      const { rows } = await t.database.pool.query<{ pid: number }>(
        `select pid from pg_stat_activity
          where datname = current_database() and application_name = 'ticketing-checkout-listener'`,
      );
      return rows.map((r) => r.pid);
    };
    const [killed] = await listeners();
    expect(killed).toBeDefined();
    await t.database.pool.query('select pg_terminate_backend($1)', [killed]);
    await waitFor(
      async () => {
        const now = await listeners();
        return now.length === 1 && now[0] !== killed ? true : undefined;
      },
      5_000,
      'a new listening connection',
    );
    const { answer, orderId } = await startCheckout('erin', 'A-1-3');
    await endElsewhere(orderId);
    const endedAt = Date.now();
    const response = await answer;
    expect(response.statusCode).toBe(200);
    expect(Date.now() - endedAt).toBeLessThan(500);
  });

  it('answers-202-with-the-order-url-when-its-wait-runs-out-though-its-poll-is-longer', async () => {
    const { answer, orderId, sentAt } = await startCheckout('dave', 'A-1-2');
    const response = await answer;
    const tookMs = Date.now() - sentAt;
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      orderId,
      status: 'pending',
      statusUrl: `/orders/${orderId}`,
    });
    expect(response.headers.location).toBe(`/orders/${orderId}`);
    // The answer is due by the wait, not by the next poll.
    expect(tookMs).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(tookMs).toBeLessThan(WAIT_MS + 1_000);
  });
});
