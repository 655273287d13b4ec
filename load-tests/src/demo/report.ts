import type { LatencySummary } from '../lib/stats';
import type { AuctionRaceResult } from './auction-race';
import type { CrawlResult } from './crawl';
import type { BurstResult } from './rate-limit-burst';
import type { ScheduledFiresResult } from './scheduled-fires';

export interface DemoReport {
  buyers: number;
  seatPool: number;
  holds: Record<string, number>;
  checkouts: Record<string, number>;
  retries: { sent: number; sameOrder: number };
  // The 429s the buyers were answered, by the limit that answered each (the code in its
  // body), and the buyers who gave up on one.
  refusals: { answered: Record<string, number>; gaveUp: Record<string, number> };
  // Services restarted gracefully during the sale, how long each took to be ready again, and
  // for a service with an outbox, the rows it committed from 2 s before its SIGTERM until it
  // was ready again (the rows a careless stop would lose; the events verifier finds each on
  // Kafka).
  restarts: { service: string; readyAfterS: number; outboxRowsAcrossStop?: number }[];
  seatsSold: number;
  ticketsIssued: number;
  duplicateSeats: number;
  abandonedHoldsFreed: { abandoned: number; seatsStillHeld: number };
  money: {
    currency: string;
    captured: number;
    refunded: number;
    ticketsValue: number;
    balanced: boolean;
    doubleCharges: number | null;
    unbalancedEntries: number;
  };
  sagas: Record<string, number>;
  // Seconds the sagas took to finish after the traffic stopped (bounded by the demo).
  settledInS: number;
  // Per topic: distinct messages and records on Kafka against the outbox rows per service.
  events: {
    topic: string;
    kafkaMessages: number;
    kafkaRecords: number;
    outboxRows: Record<string, number>;
  }[];
  eventExamples: Record<string, string[] | undefined>;
  // Money at the PSP traced to orders (minor units).
  moneyTrail: {
    orders: number;
    charges: number;
    charged: number;
    refunded: number;
    keptWithoutTickets: number;
    ordersKeepingMoney: number;
    examples: Record<string, string[] | undefined>;
  };
  auction: AuctionRaceResult;
  burst: BurstResult;
  // The assignment sections (the native stack only).
  scheduler?: ScheduledFiresResult;
  crawl?: CrawlResult;
  // Their wall time, the replicas' start included (the holds' expiry wait overlaps it).
  assignmentS?: number;
  latencies: Record<string, LatencySummary>;
  violations: Record<string, number | null>;
  elapsedS: number;
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

// The limits a 429's code names.
const LIMITS: Record<string, string> = {
  'rate-limited': "gateway's rate limit",
  'hold-admission-full': "ticketing's hold admission",
};
const byLimit = (record: Record<string, number>) =>
  counts(Object.fromEntries(Object.entries(record).map(([code, n]) => [LIMITS[code] ?? code, n])));
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

function refusalLine(r: DemoReport['refusals']): string {
  const answered = sum(r.answered);
  if (answered === 0) return 'refused      no request answered 429';
  // Every 429 was sent again, but the one each giving-up buyer stopped at.
  const gaveUp = sum(r.gaveUp);
  return (
    `refused      ${answered} requests answered 429 (${byLimit(r.answered)}): ${answered - gaveUp} sent again after Retry-After, ` +
    `${gaveUp} buyers gave up on one${gaveUp > 0 ? ` (${byLimit(r.gaveUp)})` : ''}`
  );
}

// A few ids behind each violation, so a failing run says where to look.
const examples = (record: Record<string, string[] | undefined>) =>
  Object.entries(record).flatMap(([violation, ids]) =>
    ids?.length ? [`  ${violation}: ${ids.join(', ')}`] : [],
  );

function schedulerLines(s: ScheduledFiresResult): string[] {
  const v = s.report.violations;
  const refused = Object.values(s.refusedCreates).reduce((a, b) => a + b, 0);
  return [
    '',
    '---------------- scheduler ----------------',
    `jobs         ${s.oneOff} one-off due within seconds, ${s.cronJobs} cron every second; ${s.instances} instances, one killed (SIGKILL) ${s.killedAfterS.toFixed(1)} s in${refused > 0 ? `; creates refused: ${counts(s.refusedCreates)}` : ''}`,
    `fires        ${s.report.expectedFires} due up to ${s.horizonS.toFixed(1)} s in, ${s.report.expectedFires - v.missed} of them applied at the sink; ${s.report.appliedFires} applied in all (cron fires until the cancel), ${s.report.deliveries} deliveries`,
    `instances    fires delivered by ${counts(s.deliveredBy) || '-'}`,
    `verifier     missed ${v.missed}, applied twice ${v.appliedTwice}, early ${v.early}, unscheduled ${v.unscheduled}, stale owner writes ${v.staleOwnerWrites}`,
    `lag          p50 ${s.lag.p50.toFixed(0)} ms, p99 ${s.lag.p99.toFixed(0)} ms, max ${s.lag.max.toFixed(0)} ms (the sink's first receipt minus the scheduled time)`,
  ];
}

function crawlLines(c: CrawlResult): string[] {
  const v = c.verdict;
  const perSecond = v.requests / c.seconds;
  return [
    '',
    '---------------- crawler ----------------',
    `crawl        ${c.hosts} hosts, ${c.minIntervalMs} ms per host, ${c.workers} workers: finished ${c.finished ? 'yes' : 'NO'} in ${c.seconds.toFixed(1)} s`,
    `pages        ${v.fetchedPages} fetched of ${v.reachable} reachable; missed ${v.missed}, fetched twice ${v.duplicates}, unexpected ${v.unexpected}`,
    `politeness   ${v.requests} requests, ${perSecond.toFixed(1)}/s against a bound of ${c.boundPerSecond.toFixed(0)}/s (${((perSecond / c.boundPerSecond) * 100).toFixed(0)}%); rate violations ${v.rateViolations}, closest gap to one host ${v.smallestGapMs === null ? '-' : `${v.smallestGapMs.toFixed(1)} ms`}`,
  ];
}

export function formatReport(r: DemoReport): string {
  const lines = [
    '',
    '================ flash sale report ================',
    `buyers ${r.buyers} raced for ${r.seatPool} seats in ${r.elapsedS.toFixed(1)} s`,
    '',
    `holds        ${counts(r.holds)}`,
    `checkouts    ${counts(r.checkouts)}`,
    refusalLine(r.refusals),
    `retries      ${r.retries.sent} checkouts sent twice with the same Idempotency-Key, ${r.retries.sameOrder} got the same order back`,
    `abandoned    ${r.abandonedHoldsFreed.abandoned} holds left to expire; seats of theirs still held after the TTL: ${r.abandonedHoldsFreed.seatsStillHeld}`,
    ...(r.restarts.length > 0
      ? [
          `restarted    ${r.restarts.map((x) => `${x.service} (ready again after ${x.readyAfterS.toFixed(1)} s${x.outboxRowsAcrossStop === undefined ? '' : `; ${x.outboxRowsAcrossStop} outbox rows committed across the stop`})`).join(', ')} during the sale, by SIGTERM`,
        ]
      : []),
    '',
    `seats sold   ${r.seatsSold}   tickets issued ${r.ticketsIssued}   seats sold twice ${r.duplicateSeats}`,
    `money        captured ${money(r.money.captured, r.money.currency)} = tickets ${money(r.money.ticketsValue, r.money.currency)} + refunds ${money(r.money.refunded, r.money.currency)}: ${r.money.balanced ? 'holds' : 'DOES NOT HOLD'}`,
    `             double charges at the PSP ${r.money.doubleCharges ?? 'n/a'}, unbalanced ledger entries ${r.money.unbalancedEntries}`,
    `sagas        ${counts(r.sagas)} (settled ${r.settledInS.toFixed(1)} s after the traffic)`,
    `money trail  ${r.moneyTrail.charges} charges at the PSP for ${r.moneyTrail.orders} orders: charged ${money(r.moneyTrail.charged, r.money.currency)}, refunded ${money(r.moneyTrail.refunded, r.money.currency)}; kept without tickets ${money(r.moneyTrail.keptWithoutTickets, r.money.currency)} (${r.moneyTrail.ordersKeepingMoney} orders)`,
    ...examples(r.moneyTrail.examples),
    '',
    '---------------- events: Kafka vs outbox ----------------',
    'topic                    on Kafka (messages / records)   outbox rows',
    ...r.events.map(
      (e) =>
        `  ${e.topic.padEnd(22)} ${String(e.kafkaMessages).padStart(8)} / ${String(e.kafkaRecords).padEnd(8)}            ${counts(e.outboxRows) || '-'}`,
    ),
    ...examples(r.eventExamples),
    '',
    '---------------- auction race ----------------',
    `bids         ${r.auction.bidsSent} sent, ${r.auction.accepted} accepted, rejected: ${counts(r.auction.rejected)}`,
    `close        winner ${r.auction.winner ? `${r.auction.winner.bidderId} at ${money(r.auction.winner.amount, r.money.currency)}` : 'none'}; highest accepted bid ${money(r.auction.highestAccepted, r.money.currency)}; closed ${r.auction.closedAfterEndMs ?? '?'} ms after the end`,
    '',
    '---------------- rate-limit burst ----------------',
    `burst        ${r.burst.sent} holds at once from one user: ${r.burst.admitted} admitted, ${r.burst.refused} refused with 429`,
    `headers      Retry-After ${r.burst.retryAfterS ?? '-'} s; RateLimit ${r.burst.rateLimitHeader ?? '-'}; RateLimit-Policy ${r.burst.policyHeader ?? '-'}`,
    ...(r.scheduler ? schedulerLines(r.scheduler) : []),
    ...(r.crawl ? crawlLines(r.crawl) : []),
    ...(r.assignmentS === undefined
      ? []
      : [
          `time         both sections ${r.assignmentS.toFixed(1)} s, second instances' start included`,
        ]),
    '',
    'latency through the gateway (ms)   count     p50     p99     max',
    ...Object.entries(r.latencies).map(
      ([label, s]) =>
        `  ${label.padEnd(32)} ${String(s.count).padStart(6)} ${s.p50.toFixed(1).padStart(7)} ${s.p99.toFixed(1).padStart(7)} ${s.max.toFixed(1).padStart(7)}`,
    ),
    '',
    `invariant violations: ${counts(Object.fromEntries(Object.entries(r.violations).map(([k, v]) => [k, v ?? 0])))}`,
    '====================================================',
  ];
  return lines.join('\n');
}

export function totalViolations(r: DemoReport): number {
  return Object.values(r.violations).reduce<number>((sum, v) => sum + (v ?? 0), 0);
}
