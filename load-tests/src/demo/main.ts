// `npm run demo`: a fresh stack (infrastructure, then every service on empty databases), a
// scripted flash sale through the gateway, the invariant verifiers, and a report. The stack
// is left running for exploring; `npm run demo:stop` stops the services.
// `npm run demo -- --target compose` runs the same against the compose stack instead.
import type { Pool } from 'pg';
import { runFlashSale, type BuyerOutcome } from './flash-sale';
import { runAuctionRace } from './auction-race';
import { runRateLimitBurst } from './rate-limit-burst';
import { assignmentViolations, runAssignmentSections, type AssignmentResult } from './assignment';
import { formatReport, totalViolations, type DemoReport } from './report';
import { GatewayClient } from '../lib/gateway-client';
import { summarize } from '../lib/stats';
import { verifyRun, withRunDatabases } from '../lib/verify-run';
import { composeTarget, nativeTarget, parseDemoArgs, type DemoTarget } from './targets';
import { firstEvent, seatIds } from '../lib/seed-data';

const { target: TARGET, restart: RESTART, rest: ARGS } = parseDemoArgs(process.argv.slice(2));
const BUYERS = Number(ARGS[0] ?? 2000);
const SEATS = Number(ARGS[1] ?? 500);
const RESTART_AFTER_MS = 2_000;
const HOLD_TTL_MS = 8_000;
// How long the checkout sagas get to finish after the traffic stops, and how old an outbox
// row must be before its absence from Kafka counts: the relays' time to publish.
const SETTLE_DEADLINE_MS = 60_000;
const OUTBOX_SETTLE_MS = 10_000;

const tally = (values: (string | undefined)[]) =>
  values.reduce<Record<string, number>>(
    (acc, v) => (v ? { ...acc, [v]: (acc[v] ?? 0) + 1 } : acc),
    {},
  );

async function main(): Promise<void> {
  const started = Date.now();
  const target: DemoTarget =
    TARGET === 'compose' || TARGET === 'cluster'
      ? composeTarget(TARGET)
      : await (async () => {
          console.log('starting the services on empty databases:');
          // Abandoned holds must expire while the demo watches. Each buyer is a different
          // user: the per-route limits are per user, so they do not stand in the race's way.
          return nativeTarget({
            ticketing: { HOLD_TTL_MS: String(HOLD_TTL_MS), OUTBOX_IDLE_DELAY_MS: '20' },
          });
        })();
  const gateway = target.gatewayUrl;

  // Some cards decline at the PSP, so some checkouts must be compensated. The fault switch
  // is an admin route: it wants an operator's token.
  const faults = await fetch(`${target.pspUrl}/admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(await target.operatorHeaders()) },
    body: JSON.stringify({ declineRate: 0.1 }),
  });
  if (!faults.ok) throw new Error(`the PSP's fault switch answered ${faults.status}`);

  const client = new GatewayClient(gateway, target.userToken);
  const token = await client.token('demo-operator');
  const event = await firstEvent(client, token);
  const seatPool = await seatIds(client, token, event.id, SEATS);

  console.log(`\nflash sale: ${BUYERS} buyers, ${seatPool.length} seats, through ${gateway}`);
  // Graceful restarts in the middle of the sale, one service after another: a SIGTERM must
  // lose no accepted request's effects, no outbox row and no saga.
  const restarts: DemoReport['restarts'] = [];
  const restartWindows: { service: string; from: Date; to: Date }[] = [];
  const restarting = (async () => {
    await new Promise((r) => setTimeout(r, RESTART_AFTER_MS));
    for (const service of RESTART) {
      console.log(`  restarting ${service} (SIGTERM) during the sale`);
      const at = Date.now();
      await target.restart(service);
      restarts.push({ service, readyAfterS: (Date.now() - at) / 1000 });
      restartWindows.push({ service, from: new Date(at - 2_000), to: new Date() });
    }
  })();
  const outcomes: BuyerOutcome[] = await runFlashSale(client, {
    buyers: BUYERS,
    seatPool,
    eventId: event.id,
    concurrency: 64,
    abandonRate: 0.1,
    retryRate: 0.05,
    deadlineMs: 240_000,
  });
  await restarting;

  console.log('auction race: 20 bidders for 8 s');
  const auction = await runAuctionRace(client, { bidders: 20, durationMs: 8_000 });
  console.log('rate-limit burst: 40 holds at once from one user');
  const burst = await runRateLimitBurst(client, event.id, 40);

  // Let every abandoned hold run out, then check that their seats are free again. The
  // scheduler and crawler sections run meanwhile.
  const holdsExpired = new Promise((r) => setTimeout(r, HOLD_TTL_MS + 1_000));
  let assignment: AssignmentResult | undefined;
  if (target.assignment) {
    console.log(
      'scheduler: one-off and cron jobs over 2 instances, one killed; crawler: a crawl by 2 workers',
    );
    assignment = await runAssignmentSections(
      target.assignment,
      client,
      // The gateway admits 30 new jobs a minute per user: 15 each.
      await Promise.all(Array.from({ length: 14 }, (_, i) => client.token(`demo-scheduler-${i}`))),
      await target.operatorHeaders(),
    );
  }
  await holdsExpired;
  const after = await client.call<{ seats: { seatId: string; availability: string }[] }>(
    'seats.list',
    'GET',
    `/events/${event.id}/seats?limit=${SEATS}`,
    { token },
  );
  const stillHeld = after.body.seats.filter((s) => s.availability === 'held').length;

  await withRunDatabases(target.databases, async (db) => {
    const {
      settledInS,
      ticketing,
      payments,
      onKafka,
      trail,
      seatsSold,
      tickets,
      captured,
      refunded,
      balanced,
      sagas,
      violations,
    } = await verifyRun(db, {
      kafkaBrokers: target.kafkaBrokers,
      since: new Date(started),
      settleDeadlineMs: SETTLE_DEADLINE_MS,
      outboxSettleMs: OUTBOX_SETTLE_MS,
      ticketPriceMinor: event.priceMinor,
    });

    // The outbox rows each restarted service committed around its stop.
    const outboxDb: Record<string, Pool> = {
      ticketing: db.ticketing,
      payments: db.payments,
      auction: db.auction,
    };
    for (const [index, window] of restartWindows.entries()) {
      const pool = outboxDb[window.service];
      const restart = restarts[index];
      if (!pool || !restart) continue;
      const { rows } = await pool.query<{ n: string }>(
        'select count(*) as n from outbox_messages where created_at between $1 and $2',
        [window.from, window.to],
      );
      restart.outboxRowsAcrossStop = Number(rows[0]?.n ?? 0);
    }

    const retried = outcomes.filter((o) => o.retriedWithSameKey);
    const report: DemoReport = {
      buyers: BUYERS,
      seatPool: seatPool.length,
      holds: tally(outcomes.map((o) => o.hold)),
      checkouts: tally(outcomes.map((o) => o.checkout)),
      restarts,
      retries: {
        sent: retried.length,
        sameOrder: retried.filter((o) => o.sameResultOnRetry).length,
      },
      refusals: {
        answered: tally(outcomes.flatMap((o) => o.refusedBy ?? [])),
        gaveUp: tally(outcomes.map((o) => o.limitedBy)),
      },
      seatsSold,
      ticketsIssued: tickets,
      duplicateSeats: ticketing.seatsSoldTwice,
      abandonedHoldsFreed: {
        abandoned: outcomes.filter((o) => o.checkout === 'abandoned').length,
        seatsStillHeld: stillHeld,
      },
      money: {
        currency: event.currency,
        captured,
        refunded,
        ticketsValue: tickets * event.priceMinor,
        balanced,
        doubleCharges: payments.paymentsChargedTwice,
        unbalancedEntries: payments.unbalancedEntries,
      },
      sagas,
      settledInS,
      events: Object.entries(onKafka.kafka).map(([topic, counts]) => ({
        topic,
        kafkaMessages: counts.messages,
        kafkaRecords: counts.records,
        outboxRows: Object.fromEntries(
          Object.entries(onKafka.outbox).flatMap(([service, topics]) =>
            topics?.[topic] ? [[service, topics[topic].rows]] : [],
          ),
        ),
      })),
      eventExamples: onKafka.examples,
      moneyTrail: {
        orders: trail.orders,
        charges: trail.succeededCharges,
        charged: trail.chargedMinor,
        refunded: trail.refundedMinor,
        keptWithoutTickets: trail.keptWithoutTicketsMinor,
        ordersKeepingMoney: trail.violations.moneyKeptWithoutTickets,
        examples: trail.examples,
      },
      auction,
      burst,
      ...(assignment
        ? {
            scheduler: assignment.scheduler,
            crawl: assignment.crawl,
            assignmentS: assignment.elapsedS,
          }
        : {}),
      latencies: Object.fromEntries(
        [...client.timings.entries()]
          .filter(([label]) => !label.endsWith('.poll'))
          .map(([label, samples]) => [label, summarize(samples)]),
      ),
      violations: { ...violations, ...(assignment ? assignmentViolations(assignment) : {}) },
      elapsedS: (Date.now() - started) / 1000,
    };
    console.log(formatReport(report));
    console.log(`\nThe ${target.name} stack is still running. Explore it:`);
    for (const line of target.explore) console.log(`  ${line}`);
    process.exitCode = totalViolations(report) === 0 ? 0 : 1;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
