import { consumerFailoverBoundMs, consumerGroupTiming } from '@suite/coordination';
import { killService, restartService, running } from '@suite/testing';
import { buyers, freeSeats, startSale, tally, type Buyer } from './sale';
import {
  allZero,
  closeDatabases,
  endReport,
  openDatabases,
  settle,
  summarize,
  type StackDatabases,
} from './settlement';

const BUYERS = 40;
// The sale's arrivals span 4 s; the participant dies 2 s in and comes back 4 s later (plus
// its own boot), so buyers arrive before, during and after the crash.
const ARRIVAL_GAP_MS = 100;
const KILL_AFTER_MS = 2_000;
const DOWN_FOR_MS = 4_000;
// A killed member's partitions wait for its session to time out, then a rebalance: with the
// services' session timeout (10 s) that is 20 s after the crash, by which time the restarted
// process is a member again.
const FAILOVER_BOUND_MS = consumerFailoverBoundMs(consumerGroupTiming());
// Once the partitions are handed over, a saga caught by the crash needs at most one timed-out
// attempt of its longest step (capture: 15 s) and its remaining local steps or compensations
// (5 s each, three at most), with backoff capped at 2 s: 20 s + 15 s + 15 s + margin.
const SETTLE_BOUND_MS = FAILOVER_BOUND_MS + 40_000;

// A sale through the gateway while one saga participant is killed with SIGKILL (no shutdown
// hook: it never leaves the Kafka group, its transactions are cut mid-way) and started again.
// Every checkout must still end ticketed and paid, or compensated and refunded.
describe('a saga participant killed with SIGKILL mid-sale, then restarted', () => {
  let db: StackDatabases;
  let people: Buyer[];
  let seats: { eventId: string; seatIds: string[] };
  let nextSeat = 0;

  beforeAll(async () => {
    db = openDatabases();
    people = await buyers('crash-buyer', BUYERS);
    seats = await freeSeats(db.ticketing, 'I', 2 * BUYERS);
  });
  afterAll(async () => {
    // A failed test must not leave a service down for the specs after it.
    for (const service of ['ticketing', 'payments'] as const) {
      if (!running(service)) await restartService(service);
    }
    await closeDatabases(db);
  });

  async function saleWithCrash(service: 'ticketing' | 'payments'): Promise<void> {
    const since = new Date();
    const mine = seats.seatIds.slice(nextSeat, nextSeat + BUYERS);
    nextSeat += BUYERS;
    const sale = startSale(people, seats.eventId, mine, {
      seatsEach: 1,
      arrivalGapMs: ARRIVAL_GAP_MS,
      // Long enough to outlast the crash, the restart and a consumer failover.
      patienceMs: 30_000,
      retryEveryMs: 2_000,
    });
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
    const killedAt = Date.now();
    await killService(service, 'SIGKILL');
    await new Promise((r) => setTimeout(r, DOWN_FOR_MS));
    await restartService(service);
    const readyAfterMs = Date.now() - killedAt;
    const purchases = await sale.done;

    const settled = await settle(db, SETTLE_BOUND_MS).catch((error: Error) => error);
    const report = await endReport(db, since);
    const took =
      settled instanceof Error
        ? `not settled within ${SETTLE_BOUND_MS / 1000} s`
        : `every saga terminal ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`;
    console.log(
      await summarize(
        `crash of ${service}`,
        db,
        report,
        `buyers ${JSON.stringify(tally(purchases))}; ready again ${(readyAfterMs / 1000).toFixed(1)} s after the kill; ${took}`,
      ),
    );
    if (settled instanceof Error) throw settled;
    expect(report.violations).toEqual(allZero(report.violations));
  }

  const TIMEOUT_MS = 60_000 + 2 * 30_000 + SETTLE_BOUND_MS + 30_000;

  it(
    'ends every checkout ticketed or refunded when ticketing (the orchestrator) is killed',
    () => saleWithCrash('ticketing'),
    TIMEOUT_MS,
  );

  it(
    'ends every checkout ticketed or refunded when payments is killed',
    () => saleWithCrash('payments'),
    TIMEOUT_MS,
  );
});
