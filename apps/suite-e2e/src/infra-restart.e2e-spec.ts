import { consumerFailoverBoundMs, consumerGroupTiming } from '@suite/coordination';
import {
  ensureInfraRunning,
  isServiceReady,
  restartInfra,
  restartService,
  START_ORDER,
  type InfraComponent,
} from '@suite/testing';
import { buyers, freeSeats, purchase, startSale, tally, type Buyer } from './sale';
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
const ARRIVAL_GAP_MS = 100;
const RESTART_AFTER_MS = 2_000;
// Leases (outbox relays, saga recoverer) last 10 s: after Redis lost every key a leader
// notices at its next renewal (a third of that) and a follower wins a free lease at once.
const LEASE_TTL_MS = 10_000;
// Consumers whose broker went away rejoin their groups within a session and a rebalance.
const FAILOVER_BOUND_MS = consumerFailoverBoundMs(consumerGroupTiming());
// From the component answering again: the leases and the groups are back within the larger
// of the two, then a saga caught mid-way needs at most one timed-out attempt of its longest
// step (capture: 15 s) and its remaining steps or compensations (5 s each, three at most).
const SETTLE_BOUND_MS = Math.max(LEASE_TTL_MS, FAILOVER_BOUND_MS) + 40_000;

// Redis, then the Kafka broker, of the shared local stack restarted in the middle of a sale
// through the gateway. Redis keeps nothing on disk: holds, leases, fencing counters and rate
// windows are all lost. The broker keeps its log but drops every connection.
describe('the shared Redis, then the Kafka broker, restarted mid-sale', () => {
  let db: StackDatabases;
  let people: Buyer[];
  let seats: { eventId: string; seatIds: string[] };
  let nextSeat = 0;
  const take = (n: number) => {
    const picked = seats.seatIds.slice(nextSeat, nextSeat + n);
    nextSeat += n;
    return picked;
  };

  beforeAll(async () => {
    db = openDatabases();
    people = await buyers('infra-buyer', BUYERS);
    seats = await freeSeats(db.ticketing, 'J', 2 * BUYERS + 2);
  });
  afterAll(async () => {
    // Whatever happened above, the shared stack is left up for the specs and people after
    // this one: the components, then any service that did not survive.
    try {
      await ensureInfraRunning(['redis', 'kafka']);
      for (const service of START_ORDER) {
        if (!(await isServiceReady(service))) {
          console.log(`infra-restart: ${service} was not ready after the restarts; restarting it`);
          await restartService(service);
        }
      }
    } finally {
      await closeDatabases(db);
    }
  });

  async function saleWithRestart(component: InfraComponent): Promise<void> {
    const since = new Date();
    const sale = startSale(people, seats.eventId, take(BUYERS), {
      seatsEach: 1,
      arrivalGapMs: ARRIVAL_GAP_MS,
      patienceMs: 45_000,
      retryEveryMs: 2_000,
    });
    await new Promise((r) => setTimeout(r, RESTART_AFTER_MS));
    // restartInfra starts the component again even when its stop fails.
    const restartedAt = Date.now();
    const { downMs } = await restartInfra(component);
    const purchases = await sale.done;
    const settled = await settle(db, SETTLE_BOUND_MS).catch((error: Error) => error);
    const took =
      settled instanceof Error
        ? `not settled within ${SETTLE_BOUND_MS / 1000} s`
        : `every saga terminal ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart began`;
    // Once every checkout of the sale has ended, the stack has recovered: a buyer arriving
    // now is served end to end. (One arriving while consumers still rejoin may see its hold
    // expire first; that checkout is compensated, which the verifiers above cover.)
    const late = await purchase(people[0] as Buyer, seats.eventId, take(1), {
      patienceMs: 30_000,
      retryEveryMs: 2_000,
    });
    const report = await endReport(db, since);
    console.log(
      await summarize(
        `${component} restart`,
        db,
        report,
        `buyers ${JSON.stringify(tally(purchases))}; ${component} down ${(downMs / 1000).toFixed(1)} s; ` +
          `late buyer ${late.kind}; ${took}`,
      ),
    );
    if (settled instanceof Error) throw settled;
    expect(report.violations).toEqual(allZero(report.violations));
    expect(late.kind).toBe('ordered');
    if (late.kind === 'ordered') {
      await settle(db, SETTLE_BOUND_MS);
      const { rows } = await db.ticketing.query<{ status: string }>(
        'select status from saga_instances where id = $1',
        [late.orderId],
      );
      expect(rows[0]?.status).toBe('completed');
    }
    for (const service of START_ORDER)
      expect([service, await isServiceReady(service)]).toEqual([service, true]);
  }

  const TIMEOUT_MS = 240_000 + 45_000 + 30_000 + SETTLE_BOUND_MS + 30_000;

  it(
    'loses every Redis key and still ends every checkout ticketed or refunded',
    () => saleWithRestart('redis'),
    TIMEOUT_MS,
  );

  it(
    'rides out a broker restart and still ends every checkout ticketed or refunded',
    () => saleWithRestart('kafka'),
    TIMEOUT_MS,
  );
});
