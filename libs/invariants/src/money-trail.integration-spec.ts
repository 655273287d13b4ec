import { randomUUID } from 'node:crypto';
import { applySagaMigrations } from '@suite/coordination';
import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { verifyMoneyTrail, type MoneyTrailOptions } from './money-trail';

// Three real Postgres databases shaped like the PSP simulator's, payments' and ticketing's
// (the columns the verifier reads, as the services' migrations define them; ticketing's
// saga tables from the library's own migration). A good world counts 0; each broken
// variant adds one defect and must be counted exactly.
describe('verifyMoneyTrail', () => {
  let psp: TestDatabase;
  let payments: TestDatabase;
  let ticketing: TestDatabase;

  beforeAll(async () => {
    [psp, payments, ticketing] = await Promise.all([
      createTestDatabase('money trail psp', 2),
      createTestDatabase('money trail payments', 2),
      createTestDatabase('money trail ticketing', 2),
    ]);
    await psp.pool.query(`
      create table charges (
        id                 text        primary key,
        idempotency_key    text        not null unique,
        amount_minor       bigint      not null,
        merchant_reference text        not null,
        status             text        not null check (status in ('succeeded', 'declined')),
        created_at         timestamptz not null default now()
      );
      create table refunds (
        id           text        primary key,
        charge_id    text        not null references charges (id),
        amount_minor bigint      not null,
        created_at   timestamptz not null default now()
      )`);
    await payments.pool.query(`
      create table payments (
        id                 uuid primary key,
        psp_key            text not null unique,
        merchant_reference text not null
      )`);
    await applySagaMigrations(ticketing.pool);
    await ticketing.pool.query(`
      create table orders (
        id           uuid        primary key,
        amount_minor bigint      not null,
        created_at   timestamptz not null default now()
      );
      create table tickets (
        id       uuid primary key,
        order_id uuid not null references orders (id)
      )`);
  });
  afterAll(async () => {
    await Promise.all([psp.drop(), payments.drop(), ticketing.drop()]);
  });
  beforeEach(async () => {
    await psp.pool.query('delete from refunds; delete from charges');
    await payments.pool.query('delete from payments');
    await ticketing.pool.query(
      'delete from tickets; delete from orders; delete from saga_history; delete from saga_instances',
    );
  });

  const options = (extra: Partial<MoneyTrailOptions> = {}): MoneyTrailOptions => ({
    psp: psp.pool,
    payments: payments.pool,
    ticketing: ticketing.pool,
    ...extra,
  });

  type SagaStatus = 'running' | 'compensating' | 'completed' | 'compensated' | 'failed';

  // An order with its checkout saga and `tickets` issued tickets.
  const order = async (amount: number, saga: SagaStatus, tickets: number) => {
    const id = randomUUID();
    await ticketing.pool.query('insert into orders (id, amount_minor) values ($1, $2)', [
      id,
      amount,
    ]);
    await ticketing.pool.query(
      `insert into saga_instances
         (id, saga_type, status, phase, step_index, attempt, waiting, context, created_at, updated_at)
       values ($1, 'checkout', $2, 'action', 0, 1, 'nothing', '{}', now(), now())`,
      [id, saga],
    );
    for (let i = 0; i < tickets; i++) {
      await ticketing.pool.query('insert into tickets (id, order_id) values ($1, $2)', [
        randomUUID(),
        id,
      ]);
    }
    return id;
  };

  // A payment for the order and its charge at the PSP, as payments makes them: the payment
  // id is both the PSP idempotency key and the charge's merchant reference.
  const charge = async (
    orderId: string,
    amount: number,
    status: 'succeeded' | 'declined' = 'succeeded',
  ) => {
    const paymentId = randomUUID();
    await payments.pool.query(
      'insert into payments (id, psp_key, merchant_reference) values ($1::uuid, $1::text, $2)',
      [paymentId, orderId],
    );
    const chargeId = `ch_${randomUUID()}`;
    await psp.pool.query(
      `insert into charges (id, idempotency_key, amount_minor, merchant_reference, status)
       values ($1, $2, $3, $2, $4)`,
      [chargeId, paymentId, amount, status],
    );
    return chargeId;
  };

  const refund = (chargeId: string, amount: number) =>
    psp.pool.query('insert into refunds (id, charge_id, amount_minor) values ($1, $2, $3)', [
      `re_${randomUUID()}`,
      chargeId,
      amount,
    ]);

  // A sale of two seats, a declined card, and a checkout compensated by a full refund.
  const goodWorld = async () => {
    const sold = await order(2_000, 'completed', 2);
    await charge(sold, 2_000);
    const declined = await order(1_000, 'compensated', 0);
    await charge(declined, 1_000, 'declined');
    const refunded = await order(1_000, 'compensated', 0);
    await refund(await charge(refunded, 1_000), 1_000);
    return { sold, declined, refunded };
  };

  it('counts nothing when every charge ends as tickets or a refund', async () => {
    await goodWorld();

    const report = await verifyMoneyTrail(options());

    expect(report.violations).toEqual({
      moneyKeptWithoutTickets: 0,
      ticketedOrdersNotPaidInFull: 0,
      ordersChargedMoreThanOnce: 0,
      chargesWithoutPayment: 0,
      sagasNotTerminal: 0,
      sagasFailed: 0,
      sagasQuarantined: 0,
    });
    expect(report.total).toBe(0);
    expect(report).toMatchObject({
      orders: 3,
      succeededCharges: 2,
      chargedMinor: 3_000,
      refundedMinor: 1_000,
      keptWithoutTicketsMinor: 0,
    });
  });

  it('counts money kept by an order with no ticket and no refund', async () => {
    await goodWorld();
    const kept = await order(1_500, 'compensated', 0);
    await charge(kept, 1_500);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.moneyKeptWithoutTickets).toBe(1);
    expect(report.keptWithoutTicketsMinor).toBe(1_500);
    expect(report.examples.moneyKeptWithoutTickets).toEqual([kept]);
    expect(report.total).toBe(1);
  });

  it('counts money kept after a partial refund, by the amount still kept', async () => {
    await goodWorld();
    const kept = await order(1_500, 'failed', 0);
    await refund(await charge(kept, 1_500), 500);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.moneyKeptWithoutTickets).toBe(1);
    expect(report.keptWithoutTicketsMinor).toBe(1_000);
    // The saga that gave up is counted too: a person must look at it.
    expect(report.violations.sagasFailed).toBe(1);
    expect(report.total).toBe(2);
  });

  it('counts a ticketed order paid short', async () => {
    await goodWorld();
    const short = await order(1_000, 'completed', 1);
    await charge(short, 600);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.ticketedOrdersNotPaidInFull).toBe(1);
    expect(report.examples.ticketedOrdersNotPaidInFull).toEqual([`${short} paid 600 of 1000`]);
    expect(report.total).toBe(1);
  });

  it('counts an order charged twice, even when the second charge was refunded', async () => {
    const { sold } = await goodWorld();
    await refund(await charge(sold, 2_000), 2_000);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.ordersChargedMoreThanOnce).toBe(1);
    expect(report.examples.ordersChargedMoreThanOnce).toEqual([sold]);
    expect(report.total).toBe(1);
  });

  it('counts a charge at the PSP that no payment knows about', async () => {
    await goodWorld();
    await psp.pool.query(
      `insert into charges (id, idempotency_key, amount_minor, merchant_reference, status)
       values ('ch_stray', 'nobody-key', 700, 'nobody', 'succeeded')`,
    );

    const report = await verifyMoneyTrail(options());

    expect(report.violations.chargesWithoutPayment).toBe(1);
    expect(report.examples.chargesWithoutPayment).toEqual(['ch_stray']);
    expect(report.total).toBe(1);
  });

  it('counts a running saga as not terminal and leaves its money unjudged', async () => {
    await goodWorld();
    // Charged, no ticket yet: normal while the saga is still at work.
    await charge(await order(1_000, 'running', 0), 1_000);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.sagasNotTerminal).toBe(1);
    expect(report.violations.moneyKeptWithoutTickets).toBe(0);
    expect(report.ordersInFlight).toBe(1);
    expect(report.total).toBe(1);
  });

  it('judges only the orders in scope when given their ids', async () => {
    const { sold } = await goodWorld();
    await charge(await order(1_500, 'compensated', 0), 1_500);
    await psp.pool.query(
      `insert into charges (id, idempotency_key, amount_minor, merchant_reference, status)
       values ('ch_other_merchant', 'other-key', 700, 'other', 'succeeded')`,
    );

    const report = await verifyMoneyTrail(options({ orderIds: [sold] }));

    expect(report.total).toBe(0);
    expect(report.orders).toBe(1);
  });

  it('counts a quarantined saga, which stays not terminal', async () => {
    await goodWorld();
    const broken = await order(1_000, 'running', 0);
    await ticketing.pool.query('update saga_instances set quarantined_at = now() where id = $1', [
      broken,
    ]);

    const report = await verifyMoneyTrail(options());

    expect(report.violations.sagasQuarantined).toBe(1);
    expect(report.violations.sagasNotTerminal).toBe(1);
    expect(report.total).toBe(2);
  });

  it('reports no quarantine count for a schema without the marker', async () => {
    await goodWorld();
    const client = await ticketing.pool.connect();
    try {
      // Dropped in this test's own transaction and rolled back, so the shared schema stays.
      await client.query('begin');
      await client.query('alter table saga_instances drop column quarantined_at cascade');

      const report = await verifyMoneyTrail(options({ ticketing: client }));

      expect(report.violations.sagasQuarantined).toBeNull();
      expect(report.total).toBe(0);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
