import { allZero, closeDatabases, endReport, openDatabases, settle, summarize } from './settlement';
import type { StackDatabases } from './settlement';
import { buyers, freeSeats, startSale, tally, type Buyer } from './sale';
import { FAST_PROFILE } from '@suite/testing';
import { pspFaults, until } from './support';

const ORDERS = 8;
// How long each call to the silent PSP waits before it is served: far past payments' 1 s
// timeout, so nothing is answered in time.
const PSP_SILENCE_MS = 20_000;

// How long the PSP stays silent at most while every capture step runs out of attempts. The
// capture step's whole budget at the defaults is 5 attempts of 15 s plus backoff (about
// 77 s); payments usually answers "outcome unknown" sooner (3 PSP attempts of 1 s), so the
// steps give up well before. 150 s leaves room for a longer budget than today's.
const CAPTURE_GIVE_UP_BOUND_MS = 150_000;
// Once every capture gave up, the PSP stays silent this much longer, so the refunds that
// compensate an unknown capture meet the outage too and must keep retrying.
const OUTAGE_AFTER_GIVE_UP_MS = 10_000;
// From the PSP's recovery to every saga terminal and every payment settled: one capped
// compensation backoff (at most 30 s) plus one refund round trip, or, for a payment left
// processing, the reconciliation job's wait in this stack (10 s after its last attempt,
// checked every 2 s). 60 s covers both with margin.
const SETTLE_BOUND_MS = 60_000;
// A request the PSP took while silent may still be acted on until PSP_SILENCE_MS after the
// recovery (every one arrived before it), plus this for the PSP's own work.
const PSP_LAST_ACT_MARGIN_MS = 2_000;
// A charge the PSP makes on a payment already failed is found by payments' late-charge
// sweep within one gap of its schedule (at most LATE_CHARGE_CHECK_MAX_MS) plus one round of
// the reconciliation job, which gives it back in the same round; 2 s more for that refund.
// Read from the profile the e2e stack runs with, so the bound follows it.
const fastPayments = (name: string): number => {
  const ms = Number(FAST_PROFILE['payments']?.[name]);
  if (!Number.isFinite(ms)) throw new Error(`FAST_PROFILE sets no payments ${name}`);
  return ms;
};
const SWEEP_FINDS_WITHIN_MS =
  fastPayments('LATE_CHARGE_CHECK_MAX_MS') + fastPayments('RECONCILE_INTERVAL_MS') + 2_000;

// The PSP charges every card and then answers nothing in time, for longer than all of the
// capture step's retries, then recovers. Whatever each saga saw, every order must end
// ticketed and paid in full, or compensated with its money back.
describe('a PSP that charges, then stays silent past every retry, then recovers', () => {
  let db: StackDatabases;
  let people: Buyer[];
  let since: Date;

  beforeAll(async () => {
    db = openDatabases();
    people = await buyers('outage-buyer', ORDERS);
  });
  afterAll(async () => {
    // Never leave the PSP faulty for the specs that run next.
    await pspFaults({});
    await closeDatabases(db);
  });

  // Sagas of this test still before, or inside, their capture step's action.
  const capturing = async (): Promise<number> => {
    const { rows } = await db.ticketing.query<{ n: number }>(
      `select count(*)::int as n from saga_instances g join orders o on g.id = o.id::text
        where o.user_id = any($1) and g.status = 'running' and g.phase = 'action'
          and g.step_index <= 1`,
      [people.map((p) => p.userId)],
    );
    return rows[0]?.n ?? 0;
  };
  const chargesSince = async (): Promise<number> => {
    const { rows } = await db.psp.query<{ n: number }>(
      `select count(*)::int as n from charges where status = 'succeeded' and created_at >= $1`,
      [since],
    );
    return rows[0]?.n ?? 0;
  };

  it(
    'ends every order ticketed and paid, or compensated and refunded, with no money kept',
    async () => {
      since = new Date();
      const { eventId, seatIds } = await freeSeats(db.ticketing, 'H', ORDERS);
      let outageMs = 0;
      let chargedBeforeSilence = 0;
      let recoveredAt = 0;
      try {
        // Every charge is made, and its answer held back past payments' 1 s timeout.
        await pspFaults({ timeoutAfterChargeRate: 1, hangMs: 60_000 });
        const sale = startSale(people, eventId, seatIds, {
          seatsEach: 1,
          arrivalGapMs: 0,
          patienceMs: 30_000,
          retryEveryMs: 1_000,
        });
        // Once the charges landed, every call waits a minute first, so payments' retries under
        // the same key (which would replay the charge at once) go unanswered as well. Its
        // first retry comes 1.1 s after a charge (1 s timeout, 100 ms backoff): the PSP goes
        // silent when all charges are in or 600 ms after the first, whichever is sooner.
        // Captures its breaker holds back meet the silent PSP instead.
        await until(
          'a first charge',
          async () => ((await chargesSince()) > 0 ? true : undefined),
          30_000,
          25,
        );
        const firstCharge = Date.now();
        await until(
          'the other charges',
          async () =>
            (await chargesSince()) >= ORDERS || Date.now() - firstCharge > 600 ? true : undefined,
          5_000,
          25,
        );
        await pspFaults({ latencyMs: PSP_SILENCE_MS });
        chargedBeforeSilence = await chargesSince();
        const outageStarted = Date.now();
        const purchases = await sale.done;
        console.log(`psp-outage: checkouts ${JSON.stringify(tally(purchases))}`);

        await until(
          'every capture step to run out of attempts',
          async () => ((await capturing()) === 0 ? true : undefined),
          CAPTURE_GIVE_UP_BOUND_MS,
          500,
        );
        await new Promise((r) => setTimeout(r, OUTAGE_AFTER_GIVE_UP_MS));
        await pspFaults({});
        recoveredAt = Date.now();
        outageMs = recoveredAt - outageStarted;
      } finally {
        await pspFaults({});
      }

      // The report is printed whether or not the stack settled in time, then judged.
      const settled = await settle(db, SETTLE_BOUND_MS).catch((error: Error) => error);
      // Every call the PSP took while silent is answered, and any charge it makes is made,
      // by the recovery plus the silence; the sweep then finds such a charge on a failed
      // payment and gives it back. Only then is the money judged, late charges too.
      const pspCannotActAfter = recoveredAt + PSP_SILENCE_MS + PSP_LAST_ACT_MARGIN_MS;
      const lateChargesBack = pspCannotActAfter + SWEEP_FINDS_WITHIN_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, lateChargesBack - Date.now())));
      const after = await settle(db, SETTLE_BOUND_MS).catch((error: Error) => error);
      const report = await endReport(db, since);
      const took =
        settled instanceof Error
          ? `not settled within ${SETTLE_BOUND_MS / 1000} s`
          : `settled ${(settled.settleMs / 1000).toFixed(1)} s after it recovered`;
      console.log(
        await summarize(
          'psp-outage',
          db,
          report,
          `${chargedBeforeSilence} cards charged before the PSP went silent for ${(outageMs / 1000).toFixed(1)} s, ${took}`,
        ),
      );
      if (settled instanceof Error) throw settled;
      if (after instanceof Error) throw after;
      expect(report.outcomes.orders).toBe(ORDERS);
      expect(report.violations).toEqual(allZero(report.violations));
    },
    CAPTURE_GIVE_UP_BOUND_MS +
      OUTAGE_AFTER_GIVE_UP_MS +
      PSP_SILENCE_MS +
      PSP_LAST_ACT_MARGIN_MS +
      SWEEP_FINDS_WITHIN_MS +
      2 * SETTLE_BOUND_MS +
      60_000,
  );
});
