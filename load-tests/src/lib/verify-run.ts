// The checks after a run, shared by the demo and the load runs: wait (within a bound) for
// the checkout sagas to finish, then read the real outputs (the databases, Kafka's topics,
// the PSP's charges) with the @suite/invariants verifiers and count every violation.
import { Pool } from 'pg';
import { TOPICS } from '@suite/contracts';
import {
  verifyAuctionInvariants,
  verifyEventsOnKafka,
  verifyMoneyTrail,
  verifyPaymentInvariants,
  verifyTicketingInvariants,
} from '@suite/invariants';

export interface RunDatabaseUrls {
  ticketing: string;
  payments: string;
  psp: string;
  auction: string;
}

export interface RunDatabases {
  ticketing: Pool;
  payments: Pool;
  psp: Pool;
  auction: Pool;
}

export interface VerifyRunOptions {
  kafkaBrokers: string[];
  // Kafka's topics outlive a run's fresh databases: only records from this time on count.
  since: Date;
  // How long the sagas get to finish after the traffic, and how old an outbox row must be
  // before its absence from Kafka counts (the relays' time to publish).
  settleDeadlineMs: number;
  outboxSettleMs: number;
  // The price of a ticket, to check that the money captured is the tickets' plus refunds.
  ticketPriceMinor: number;
}

export interface RunVerification {
  settledInS: number;
  ticketing: Awaited<ReturnType<typeof verifyTicketingInvariants>>;
  payments: Awaited<ReturnType<typeof verifyPaymentInvariants>>;
  auctions: Awaited<ReturnType<typeof verifyAuctionInvariants>>;
  onKafka: Awaited<ReturnType<typeof verifyEventsOnKafka>>;
  trail: Awaited<ReturnType<typeof verifyMoneyTrail>>;
  seatsSold: number;
  tickets: number;
  captured: number;
  refunded: number;
  balanced: boolean;
  sagas: Record<string, number>;
  // Each verifier's count by name; null where a verifier could not judge.
  violations: Record<string, number | null>;
}

export async function withRunDatabases<T>(
  urls: RunDatabaseUrls,
  use: (databases: RunDatabases) => Promise<T>,
): Promise<T> {
  const databases: RunDatabases = {
    ticketing: new Pool({ connectionString: urls.ticketing }),
    payments: new Pool({ connectionString: urls.payments }),
    psp: new Pool({ connectionString: urls.psp }),
    auction: new Pool({ connectionString: urls.auction }),
  };
  try {
    return await use(databases);
  } finally {
    await Promise.all(Object.values(databases).map((pool) => pool.end()));
  }
}

const one = async (pool: Pool, sql: string) =>
  Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

export async function verifyRun(
  db: RunDatabases,
  options: VerifyRunOptions,
): Promise<RunVerification> {
  // Money is judged once the sagas are over: wait for them, within a bound.
  const settleStarted = Date.now();
  const running = () =>
    one(
      db.ticketing,
      "select count(*) as n from saga_instances where status in ('running', 'compensating')",
    );
  while ((await running()) > 0 && Date.now() - settleStarted < options.settleDeadlineMs) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const settledInS = (Date.now() - settleStarted) / 1000;

  const ticketing = await verifyTicketingInvariants(db.ticketing);
  const payments = await verifyPaymentInvariants(db.payments, db.psp);
  const auctions = await verifyAuctionInvariants(db.auction, TOPICS.auctionEvents);
  // What the outside world sees.
  const onKafka = await verifyEventsOnKafka({
    kafkaBrokers: options.kafkaBrokers,
    databases: { ticketing: db.ticketing, payments: db.payments, auction: db.auction },
    settleMs: options.outboxSettleMs,
    since: options.since,
  });
  const trail = await verifyMoneyTrail({
    psp: db.psp,
    payments: db.payments,
    ticketing: db.ticketing,
  });
  const seatsSold = await one(
    db.ticketing,
    "select count(*) as n from seats where status = 'sold'",
  );
  const tickets = await one(db.ticketing, 'select count(*) as n from tickets');
  const captured = await one(
    db.payments,
    "select coalesce(sum(amount_minor), 0) as n from payments where status in ('captured', 'partially_refunded', 'refunded')",
  );
  const refunded = await one(
    db.payments,
    'select coalesce(sum(refunded_minor), 0) as n from payments',
  );
  const sagas = (
    await db.ticketing.query<{ status: string; n: string }>(
      'select status, count(*) as n from saga_instances group by status',
    )
  ).rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: Number(r.n) }), {});
  const balanced = captured === tickets * options.ticketPriceMinor + refunded;
  return {
    settledInS,
    ticketing,
    payments,
    auctions,
    onKafka,
    trail,
    seatsSold,
    tickets,
    captured,
    refunded,
    balanced,
    sagas,
    violations: {
      seatsSoldTwice: ticketing.seatsSoldTwice,
      ticketsWithoutSoldSeat: ticketing.ticketsWithoutSoldSeat,
      soldSeatsWithoutTicket: ticketing.soldSeatsWithoutTicket,
      seatsSoldToUndoneOrders: ticketing.seatsSoldToUndoneOrders,
      doubleCharges: payments.paymentsChargedTwice,
      unbalancedLedgerEntries: payments.unbalancedEntries,
      paymentsBookedTwice: payments.paymentsBookedTwice,
      moneyMismatch: balanced ? 0 : 1,
      auctionViolations: auctions.total,
      ...onKafka.violations,
      // Sagas not terminal, failed and quarantined come from here.
      ...trail.violations,
    },
  };
}

export const totalOf = (violations: Record<string, number | null>): number =>
  Object.values(violations).reduce<number>((sum, v) => sum + (v ?? 0), 0);
