// Ticketing's saga steps against the real Postgres and Redis, each command run as the
// participant runs it (inbox, handler, reply in one transaction), without Kafka: the tests
// choose which attempts arrive and in which order.
import { randomUUID } from 'node:crypto';
import { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from '@suite/contracts';
import {
  checkFence,
  handleSagaCommand,
  leaseKey,
  poolTransactionRunner,
  type FencedHolds,
  type SagaPhase,
  type StepOutcome,
} from '@suite/coordination';
import { verifyTicketingInvariants } from '@suite/invariants';
import { SEED_EVENT_ID } from '../../database/migrations';
import { SeatsRepository } from '../../events/infra/seats.repository';
import { holdScope, seatFence } from '../../holds/domain/hold';
import { HoldsRepository } from '../../holds/infra/holds.repository';
import { SeatLeases } from '../../holds/infra/seat-leases';
import { startTicketingTestApp, type TicketingTestApp } from '../../testing/ticketing-test-app';
import { eventMessageId } from '../domain/event-id';
import { FENCED_HOLDS } from '../../ticketing.tokens';
import { ticketingStepHandlers } from './ticketing-steps.handlers';

interface Order {
  orderId: string;
  holdId: string;
  userId: string;
  tokens: Record<string, number>;
}

describe('ticketing saga steps', () => {
  let t: TicketingTestApp;
  let handlers: ReturnType<typeof ticketingStepHandlers>;

  beforeAll(async () => {
    // No saga workers: a checkout leaves its order pending, and only these tests send the
    // saga's commands.
    t = await startTicketingTestApp('ticketing_steps', {
      HOLD_TTL_MS: '60000',
      CHECKOUT_WAIT_MS: '0',
      HOLD_SWEEP_INTERVAL_MS: '0',
    });
    handlers = ticketingStepHandlers({
      holds: new HoldsRepository(),
      seats: new SeatsRepository(),
      fencedHolds: t.app.get<FencedHolds>(FENCED_HOLDS),
      leases: t.app.get(SeatLeases),
      eventsTopic: t.config.TICKETING_EVENTS_TOPIC,
    });
  });

  afterAll(async () => {
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

  // A checkout whose saga has started and whose steps have not run.
  const order = async (userId: string, seatIds: string[]): Promise<Order> => {
    const { holdId, tokens } = await hold(userId, seatIds);
    const r = await t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs(userId)), 'idempotency-key': randomUUID() },
      payload: { holdId, paymentSource: 'tok_visa' },
    });
    expect(r.statusCode).toBe(202);
    return { orderId: r.json().orderId, holdId, userId, tokens };
  };

  // The statements the last command's handler sent.
  let statements = 0;

  // One attempt of one command, as the participant handles it.
  const send = async (
    type: string,
    payload: Record<string, unknown>,
    attempt = 1,
    phase: SagaPhase = 'action',
    // The inbox keys an attempt by saga, step and attempt number: a malformed command of an
    // order is sent under a saga of its own, so the order's real steps still run.
    sagaId = String(payload['orderId']),
  ): Promise<StepOutcome> => {
    const handler = handlers[type];
    if (!handler) throw new Error(`no handler for ${type}`);
    statements = 0;
    // Counts the handler's own statements, not the inbox's around it.
    const counted: typeof handler = (sql, command) =>
      handler(
        {
          query: (text, params) => {
            statements += 1;
            return sql.query(text, params);
          },
        },
        command,
      );
    const outcome = await poolTransactionRunner(t.database.pool).inTransaction((sql) =>
      handleSagaCommand(
        sql,
        'ticketing-commands',
        {
          sagaId,
          sagaType: 'ticketing.checkout',
          step: type,
          phase,
          attempt,
          idempotencyKey: `${sagaId}:${type}:${phase}`,
          type,
          replyTopic: t.config.TICKETING_REPLIES_TOPIC,
          payload,
        },
        counted,
      ),
    );
    if (outcome.kind !== 'processed') throw new Error('a new attempt must be processed');
    return outcome.result;
  };

  const verify = (o: Order) =>
    send(TICKETING_COMMAND_TYPES.verifyHold, {
      holdId: o.holdId,
      orderId: o.orderId,
      userId: o.userId,
    });
  const confirm = (o: Order, attempt = 1) =>
    send(
      TICKETING_COMMAND_TYPES.confirmSeats,
      {
        orderId: o.orderId,
        holdId: o.holdId,
        eventId: SEED_EVENT_ID,
        userId: o.userId,
        tokens: o.tokens,
      },
      attempt,
    );
  const issue = (o: Order, attempt = 1) =>
    send(TICKETING_COMMAND_TYPES.issueTickets, { orderId: o.orderId, userId: o.userId }, attempt);
  const release = (o: Order, attempt = 1) =>
    send(
      TICKETING_COMMAND_TYPES.releaseHold,
      { holdId: o.holdId, orderId: o.orderId },
      attempt,
      'compensation',
    );
  const unconfirm = (o: Order, attempt = 1) =>
    send(TICKETING_COMMAND_TYPES.unconfirmSeats, { orderId: o.orderId }, attempt, 'compensation');

  const seat = async (seatId: string) => {
    const { rows } = await t.database.pool.query<{ status: string; order_id: string | null }>(
      `select status, order_id from seats where event_id = $1 and seat_id = $2`,
      [SEED_EVENT_ID, seatId],
    );
    return rows[0];
  };
  const holdStatus = async (holdId: string) => {
    const { rows } = await t.database.pool.query<{ status: string }>(
      `select status from holds where id = $1`,
      [holdId],
    );
    return rows[0]?.status;
  };
  const ticketsOf = async (orderId: string) => {
    const { rows } = await t.database.pool.query<{ seat_id: string }>(
      `select seat_id from tickets where order_id = $1 order by seat_id`,
      [orderId],
    );
    return rows.map((r) => r.seat_id);
  };
  const succeeded = { outcome: 'succeeded' };
  const refused = (reason: RegExp) => ({
    outcome: 'failed',
    retriable: false,
    reason: expect.stringMatching(reason),
  });

  it('release-and-unconfirm-of-an-order-whose-actions-never-ran-free-only-that-order-on-every-attempt', async () => {
    const untouched = await order('alice', ['D-1-1']);
    const sold = await order('bob', ['D-1-2']);
    expect(await verify(sold)).toMatchObject(succeeded);
    expect(await confirm(sold)).toMatchObject(succeeded);
    expect(await issue(sold)).toMatchObject(succeeded);

    // The saga compensates alice's steps although neither verification nor confirmation
    // ever ran for her order (their outcomes were unknown), and the compensations repeat.
    for (const attempt of [1, 2]) {
      expect(await unconfirm(untouched, attempt)).toEqual({
        outcome: 'succeeded',
        data: { seatsUnsold: 0 },
      });
      expect(await release(untouched, attempt)).toMatchObject(succeeded);
    }
    expect(await holdStatus(untouched.holdId)).toBe('released');
    // Released in Redis too: someone else may hold the seat at once.
    await hold('carol', ['D-1-1']);
    // Bob's sale is not touched by alice's compensations.
    expect(await seat('D-1-2')).toEqual({ status: 'sold', order_id: sold.orderId });
    expect(await ticketsOf(sold.orderId)).toEqual(['D-1-2']);
    expect(await holdStatus(sold.holdId)).toBe('purchased');
  });

  it('checkout-compensated-is-written-once-with-one-message-id-across-attempts', async () => {
    const o = await order('dave', ['D-2-1']);
    expect(await verify(o)).toMatchObject(succeeded);
    expect(await release(o, 1)).toMatchObject(succeeded);
    expect(await release(o, 2)).toMatchObject(succeeded);
    const { rows } = await t.database.pool.query<{ message_id: string }>(
      `select message_id from outbox_messages
        where aggregate_key = $1 and headers->>'message-type' = $2`,
      [o.orderId, TICKETING_EVENT_TYPES.checkoutCompensated],
    );
    expect(rows).toEqual([
      {
        message_id: eventMessageId({
          type: TICKETING_EVENT_TYPES.checkoutCompensated,
          orderId: o.orderId,
          holdId: o.holdId,
          eventId: SEED_EVENT_ID,
        }),
      },
    ]);
  });

  it('ticket-issued-events-keep-their-ids-when-the-step-is-retried', async () => {
    const o = await order('erin', ['D-3-1', 'D-3-2']);
    expect(await verify(o)).toMatchObject(succeeded);
    expect(await confirm(o)).toMatchObject(succeeded);
    expect(await issue(o, 1)).toEqual({ outcome: 'succeeded', data: { ticketsIssued: 2 } });
    expect(await issue(o, 2)).toEqual({ outcome: 'succeeded', data: { ticketsIssued: 2 } });
    const { rows } = await t.database.pool.query<{ message_id: string; seat_id: string }>(
      `select message_id, payload::jsonb->>'seatId' as seat_id from outbox_messages
        where aggregate_key = $1 and headers->>'message-type' = $2 order by 2`,
      [o.orderId, TICKETING_EVENT_TYPES.ticketIssued],
    );
    expect(rows.map((r) => r.seat_id)).toEqual(['D-3-1', 'D-3-2']);
    for (const row of rows) {
      expect(row.message_id).toBe(
        eventMessageId({
          type: TICKETING_EVENT_TYPES.ticketIssued,
          ticketId: 'any',
          orderId: o.orderId,
          eventId: SEED_EVENT_ID,
          seatId: row.seat_id,
          userId: o.userId,
        }),
      );
    }
  });

  it('issue-tickets-fails-when-a-seat-of-the-order-already-has-another-orders-ticket', async () => {
    const first = await order('frank', ['D-4-1']);
    expect(await verify(first)).toMatchObject(succeeded);
    expect(await confirm(first)).toMatchObject(succeeded);
    expect(await issue(first)).toMatchObject(succeeded);
    // A seat released by hand while its ticket stayed: the unique (event, seat) key is all
    // that stands between a second buyer and a second ticket.
    await t.app.get<FencedHolds>(FENCED_HOLDS).release({
      scope: holdScope(SEED_EVENT_ID),
      resources: ['D-4-1'],
      owner: first.holdId,
    });
    await t.database.pool.query(
      `update seats set status = 'available', sold_to = null, order_id = null, fence_token = null
        where event_id = $1 and seat_id = 'D-4-1'`,
      [SEED_EVENT_ID],
    );
    const second = await order('grace', ['D-4-1', 'D-4-2']);
    expect(await verify(second)).toMatchObject(succeeded);
    expect(await confirm(second)).toMatchObject(succeeded);
    expect(await issue(second)).toMatchObject(refused(/already ticketed for another order: D-4-1/));
    // Nothing half-issued: not even the ticket of the seat without a conflict.
    expect(await ticketsOf(second.orderId)).toEqual([]);
    expect(await ticketsOf(first.orderId)).toEqual(['D-4-1']);
  });

  it('issue-tickets-fails-for-an-order-with-no-seats-sold', async () => {
    const o = await order('heidi', ['D-5-1']);
    expect(await verify(o)).toMatchObject(succeeded);
    expect(await issue(o)).toMatchObject(refused(/no seats are sold/));
  });

  // The first attempt sold the seat but its reply was late; meanwhile the hold expired and
  // another buyer re-held the seat (a higher fence). The resent attempt must answer what the
  // first one did, or the saga takes "failed" for "changed nothing" and never unsells it.
  it('a-resent-confirmation-that-already-sold-the-seats-succeeds-though-the-seat-was-held-since', async () => {
    const o = await order('steps-resent-confirm', ['C-3-1']);
    expect(await verify(o)).toEqual(succeeded);
    expect(await confirm(o, 1)).toEqual(succeeded);
    const token = o.tokens['C-3-1'] as number;
    await poolTransactionRunner(t.database.pool).inTransaction((sql) =>
      checkFence(sql, seatFence(SEED_EVENT_ID, 'C-3-1'), token + 1),
    );
    expect(await confirm(o, 2)).toEqual(succeeded);
    expect(await seat('C-3-1')).toEqual({ status: 'sold', order_id: o.orderId });
  });

  // The verifier that would have caught a confirmation refused after it had sold: a seat left
  // sold to an order whose checkout was undone. Shown on that broken state, then repaired.
  it('the-verifier-counts-a-seat-left-sold-to-an-undone-order', async () => {
    const o = await order('steps-undone-sold', ['C-3-2']);
    expect(await verify(o)).toEqual(succeeded);
    expect(await confirm(o, 1)).toEqual(succeeded);
    await t.database.pool.query(`update saga_instances set status = 'compensated' where id = $1`, [
      o.orderId,
    ]);
    const counted = async () =>
      (await verifyTicketingInvariants(t.database.pool)).seatsSoldToUndoneOrders;
    expect(await counted()).toBe(1);
    expect(await unconfirm(o)).toEqual({ outcome: 'succeeded', data: { seatsUnsold: 1 } });
    expect(await counted()).toBe(0);
  });

  it('a-confirmation-arriving-after-its-checkout-was-compensated-sells-nothing', async () => {
    const o = await order('ivan', ['D-6-1']);
    expect(await verify(o)).toMatchObject(succeeded);
    // The confirmation's outcome was unknown; the saga compensated, then it arrives late.
    expect(await unconfirm(o)).toMatchObject(succeeded);
    expect(await release(o)).toMatchObject(succeeded);
    expect(await confirm(o)).toMatchObject(refused(/is not being checked out by order/));
    expect(await seat('D-6-1')).toEqual({ status: 'available', order_id: null });
  });

  // Under load each statement of a step's transaction costs about one event-loop delay of
  // the service with the transaction open: the common path's counts are pinned.
  it('each-step-of-a-checkout-sends-one-statement-plus-one-event-per-ticket', async () => {
    const o = await order('steps-round-trips', ['E-4-1', 'E-4-2', 'E-4-3']);
    expect(await verify(o)).toEqual(succeeded);
    expect(statements).toBe(1);
    expect(await confirm(o)).toEqual(succeeded);
    expect(statements).toBe(1);
    expect(await issue(o)).toMatchObject(succeeded);
    // The tickets in one statement, then each TicketIssued event in the outbox.
    expect(statements).toBe(1 + 3);
  });

  const fenceOf = async (seatId: string) => {
    const { rows } = await t.database.pool.query<{ token: string }>(
      `select token::text as token from coordination_fences where resource = $1`,
      [seatFence(SEED_EVENT_ID, seatId)],
    );
    return Number(rows[0]?.token);
  };

  // The confirmation is one call (ticketing_confirm_seats): a refusal at its last seat must
  // undo the fence it had already advanced for the first.
  it('a-confirmation-refused-at-its-last-seat-leaves-no-fence-advanced-and-no-seat-sold', async () => {
    const o = await order('steps-stale-last', ['E-1-1', 'E-1-2']);
    expect(await verify(o)).toEqual(succeeded);
    const first = o.tokens['E-1-1'] as number;
    const last = o.tokens['E-1-2'] as number;
    // The last seat was held again since (a higher token stored); the first would advance.
    await poolTransactionRunner(t.database.pool).inTransaction((sql) =>
      checkFence(sql, seatFence(SEED_EVENT_ID, 'E-1-2'), last + 10),
    );
    const outcome = await send(TICKETING_COMMAND_TYPES.confirmSeats, {
      orderId: o.orderId,
      holdId: o.holdId,
      eventId: SEED_EVENT_ID,
      userId: o.userId,
      tokens: { 'E-1-1': first + 5, 'E-1-2': last },
    });
    expect(outcome).toEqual(
      refused(
        new RegExp(`^stale hold: seat E-1-2 was held after it \\(token ${last} < ${last + 10}\\)$`),
      ),
    );
    expect(await fenceOf('E-1-1')).toBe(first);
    expect(await seat('E-1-1')).toEqual({ status: 'available', order_id: null });
    expect(await seat('E-1-2')).toEqual({ status: 'available', order_id: null });
    expect(await holdStatus(o.holdId)).toBe('checking-out');
  });

  it('a-confirmation-with-one-seat-sold-elsewhere-sells-none-and-advances-no-fence', async () => {
    const o = await order('steps-sold-elsewhere', ['E-2-1', 'E-2-2']);
    expect(await verify(o)).toEqual(succeeded);
    const first = o.tokens['E-2-1'] as number;
    // A seat sold behind the fences' back: only the constraint on available stops the sale.
    await t.database.pool.query(
      `update seats set status = 'sold', sold_to = 'someone', order_id = $2, fence_token = 1
        where event_id = $1 and seat_id = 'E-2-2'`,
      [SEED_EVENT_ID, randomUUID()],
    );
    const outcome = await send(TICKETING_COMMAND_TYPES.confirmSeats, {
      orderId: o.orderId,
      holdId: o.holdId,
      eventId: SEED_EVENT_ID,
      userId: o.userId,
      tokens: { ...o.tokens, 'E-2-1': first + 5 },
    });
    expect(outcome).toEqual(refused(/^seats already sold: E-2-2$/));
    expect(await fenceOf('E-2-1')).toBe(first);
    expect(await seat('E-2-1')).toEqual({ status: 'available', order_id: null });
    expect(await holdStatus(o.holdId)).toBe('checking-out');
    await t.database.pool.query(
      `update seats set status = 'available', sold_to = null, order_id = null, fence_token = null
        where event_id = $1 and seat_id = 'E-2-2'`,
      [SEED_EVENT_ID],
    );
  });

  // Verification moves the hold first and reads the Redis leases after: a hold whose lease
  // is gone must be left active, as a refused verification always left it.
  it('a-verification-that-finds-a-lease-lost-leaves-the-hold-active-for-no-order', async () => {
    const o = await order('steps-lease-lost', ['E-3-1']);
    await t.redis.client.del(leaseKey('ticketing', holdScope(SEED_EVENT_ID), 'E-3-1'));
    expect(await verify(o)).toEqual(refused(/^the hold has expired \(seats E-3-1\)$/));
    const { rows } = await t.database.pool.query<{ status: string; order_id: string | null }>(
      `select status, order_id from holds where id = $1`,
      [o.holdId],
    );
    expect(rows[0]).toEqual({ status: 'active', order_id: null });
  });

  it('commands-with-malformed-ids-or-tokens-are-failed-replies-not-exceptions', async () => {
    const o = await order('judy', ['D-7-1']);
    expect(
      await send(
        TICKETING_COMMAND_TYPES.verifyHold,
        {
          holdId: 'not-a-uuid',
          orderId: o.orderId,
          userId: o.userId,
        },
        1,
        'action',
        randomUUID(),
      ),
    ).toMatchObject(refused(/holdId is not a UUID/));
    expect(await verify(o)).toMatchObject(succeeded);
    expect(await confirm({ ...o, tokens: { 'D-7-1': 0 } })).toMatchObject(
      refused(/not a positive integer/),
    );
    expect(
      await send(
        TICKETING_COMMAND_TYPES.unconfirmSeats,
        { orderId: 'x' },
        1,
        'compensation',
        randomUUID(),
      ),
    ).toMatchObject(refused(/orderId is not a UUID/));
    expect(
      await send(
        TICKETING_COMMAND_TYPES.releaseHold,
        { holdId: o.holdId, orderId: '42' },
        1,
        'compensation',
        randomUUID(),
      ),
    ).toMatchObject(refused(/orderId is not a UUID/));
    expect(await seat('D-7-1')).toEqual({ status: 'available', order_id: null });
  });
});
