// The end of every whole-stack fault test: wait, within a stated bound, until every checkout
// saga is terminal and every payment settled, then count what must never happen with every
// verifier, reading what the outside world sees (money at the PSP, events on Kafka) as well
// as each service's own tables.
import type { Pool } from 'pg';
import {
  verifyEventsOnKafka,
  verifyMoneyTrail,
  verifyPaymentInvariants,
  verifyTicketingInvariants,
} from '@suite/invariants';
import { kafkaBrokers, serviceDatabase } from './support';

export interface StackDatabases {
  ticketing: Pool;
  payments: Pool;
  psp: Pool;
  auction: Pool;
}

export function openDatabases(): StackDatabases {
  return {
    ticketing: serviceDatabase('ticketing'),
    payments: serviceDatabase('payments'),
    psp: serviceDatabase('psp_simulator'),
    auction: serviceDatabase('auction'),
  };
}

export async function closeDatabases(db: StackDatabases): Promise<void> {
  await Promise.all(Object.values(db).map((pool: Pool) => pool.end()));
}

const count = async (pool: Pool, sql: string): Promise<number> =>
  Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

const NOT_TERMINAL = `status in ('running', 'compensating')`;

// The last events of the sagas that are not terminal or ended failed (needs attention), one
// line each, for the failure message and the report.
export async function troubledSagas(db: StackDatabases, limit = 8): Promise<string[]> {
  const { rows } = await db.ticketing.query<{
    id: string;
    status: string;
    step_index: number;
    phase: string;
    history: string | null;
  }>(
    `select g.id, g.status, g.step_index, g.phase,
            (select string_agg(h.event || ' ' || coalesce(h.step, '') || '#'
                               || coalesce(h.attempt::text, '')
                               || coalesce(' ' || left(h.detail::text, 100), ''), ' | ' order by h.id)
               from (select * from saga_history where saga_id = g.id order by id desc limit 12) h) as history
       from saga_instances g
      where g.${NOT_TERMINAL} or g.status = 'failed'
      order by g.created_at limit $1`,
    [limit],
  );
  return rows.map(
    (r) => `${r.id} ${r.status} (${r.phase} step ${r.step_index}): ${r.history ?? 'no history'}`,
  );
}

export interface Settled {
  // From the call to the moment nothing was left in flight.
  settleMs: number;
}

// Waits until no checkout saga is running or compensating and no payment or refund is
// pending or processing (so the reconciliation job has had its say too), polling the
// databases. Past
// `boundMs` it throws with what was still in flight and why.
export async function settle(db: StackDatabases, boundMs: number): Promise<Settled> {
  const started = Date.now();
  for (;;) {
    const sagas = await count(
      db.ticketing,
      `select count(*) as n from saga_instances where ${NOT_TERMINAL}`,
    );
    const payments =
      (await count(
        db.payments,
        `select count(*) as n from payments where status in ('pending', 'processing')`,
      )) +
      (await count(
        db.payments,
        `select count(*) as n from payment_refunds where status = 'pending'`,
      ));
    if (sagas === 0 && payments === 0) return { settleMs: Date.now() - started };
    if (Date.now() - started > boundMs) {
      const stuck = await troubledSagas(db);
      throw new Error(
        `not settled within ${boundMs} ms: ${sagas} sagas not terminal, ${payments} payments or refunds unsettled\n` +
          stuck.join('\n'),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface OrderOutcomes {
  orders: number;
  // Saga completed, a ticket for every seat (the money side: verifyMoneyTrail).
  ticketed: number;
  // Saga compensated, no ticket.
  compensated: number;
  // Anything else once terminal: completed without all its tickets, compensated with
  // tickets, failed. Must be 0.
  neither: number;
}

// Every order of the run is either ticketed or compensated, never something in between.
export async function orderOutcomes(db: StackDatabases, since: Date): Promise<OrderOutcomes> {
  const { rows } = await db.ticketing.query<{ outcome: string; n: number }>(
    `select case
              when g.status = 'completed' and t.n = cardinality(o.seat_ids) then 'ticketed'
              when g.status = 'compensated' and t.n = 0 then 'compensated'
              else 'neither' end as outcome,
            count(*)::int as n
       from orders o
       left join saga_instances g on g.id = o.id::text
       cross join lateral (select count(*)::int as n from tickets where order_id = o.id) t
      where o.created_at >= $1
      group by 1`,
    [since],
  );
  const of = (outcome: string) => rows.find((r) => r.outcome === outcome)?.n ?? 0;
  return {
    orders: rows.reduce((sum, r) => sum + r.n, 0),
    ticketed: of('ticketed'),
    compensated: of('compensated'),
    neither: of('neither'),
  };
}

export interface EndReport {
  outcomes: OrderOutcomes;
  // Each must be 0.
  violations: Record<string, number>;
  // Money kept without tickets, in minor units, and other figures worth quoting.
  figures: Record<string, number>;
  examples: Record<string, string[]>;
}

// Every verifier, flattened into one record of counts that must all be 0. `since` scopes
// the checks that can be scoped (orders, money, events) to this test's own traffic.
export async function endReport(db: StackDatabases, since: Date): Promise<EndReport> {
  const ticketing = await verifyTicketingInvariants(db.ticketing);
  const payments = await verifyPaymentInvariants(db.payments, db.psp);
  const money = await verifyMoneyTrail({
    psp: db.psp,
    payments: db.payments,
    ticketing: db.ticketing,
    since,
  });
  const events = await verifyEventsOnKafka({
    kafkaBrokers: kafkaBrokers(),
    databases: { ticketing: db.ticketing, payments: db.payments, auction: db.auction },
    since,
    timeoutMs: 30_000,
  });
  const outcomes = await orderOutcomes(db, since);
  const unsettledPayments = await count(
    db.payments,
    `select count(*) as n from payments where status in ('pending', 'processing')`,
  );
  return {
    outcomes,
    violations: {
      ...ticketing,
      unbalancedEntries: payments.unbalancedEntries,
      unbalancedCurrencies: payments.unbalancedCurrencies,
      paymentsBookedTwice: payments.paymentsBookedTwice,
      ledgerMismatches: payments.ledgerMismatches,
      // Null only without a PSP connection, which is given here.
      paymentsChargedTwice: payments.paymentsChargedTwice ?? -1,
      ...Object.fromEntries(
        Object.entries(money.violations).map(([k, v]) => [`money.${k}`, v ?? 0]),
      ),
      ...Object.fromEntries(Object.entries(events.violations).map(([k, v]) => [`kafka.${k}`, v])),
      ordersNeitherTicketedNorCompensated: outcomes.neither,
      unsettledPayments,
    },
    figures: {
      keptWithoutTicketsMinor: money.keptWithoutTicketsMinor,
      chargedMinor: money.chargedMinor,
      refundedMinor: money.refundedMinor,
      succeededCharges: money.succeededCharges,
    },
    examples: {
      ...Object.fromEntries(Object.entries(money.examples).map(([k, v]) => [`money.${k}`, v])),
      ...Object.fromEntries(Object.entries(events.examples).map(([k, v]) => [`kafka.${k}`, v])),
    },
  };
}

// Every violation count at 0, as the assertion compares it.
export const allZero = (violations: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.keys(violations).map((k) => [k, 0]));

// One line to quote: orders and how they ended, money kept without tickets, sagas left over,
// then every non-zero violation and the troubled sagas' histories, if any.
export async function summarize(
  name: string,
  db: StackDatabases,
  report: EndReport,
  extra: string,
): Promise<string> {
  const { orders, ticketed, compensated, neither } = report.outcomes;
  const v = report.violations;
  const broken = Object.entries(v).filter(([, n]) => n !== 0);
  const troubled = await troubledSagas(db);
  return (
    `${name}: ${orders} orders (${ticketed} ticketed, ${compensated} compensated, ${neither} neither); ` +
    `money kept without tickets ${v['money.moneyKeptWithoutTickets']} orders ` +
    `(${report.figures['keptWithoutTicketsMinor']} minor); sagas not terminal ${v['sagasNotTerminal']}, ` +
    `failed ${v['sagasFailed']}; ${extra}` +
    (broken.length > 0 ? `\n  violations: ${JSON.stringify(Object.fromEntries(broken))}` : '') +
    (Object.keys(report.examples).length > 0
      ? `\n  examples: ${JSON.stringify(report.examples)}`
      : '') +
    troubled.map((line) => `\n  ${line}`).join('')
  );
}
