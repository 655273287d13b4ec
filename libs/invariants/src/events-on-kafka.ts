import { AUCTION_EVENT_TYPES, TOPICS } from '@suite/contracts';
import type { SqlExecutor } from '@suite/coordination';
import { readKafkaSnapshot, type KafkaRecord } from './kafka-snapshot';

// Checks the outbox guarantee where consumers see it: on Kafka, not in the producer's own
// table. A relay that never runs, or one that marks rows published without sending them,
// leaves the outbox looking fine; only the topics show the gap.
//
// What the services write: each service database has `outbox_messages` (message_id, topic,
// payload, created_at); the relay copies message_id into the `message-id` header.

export const OUTBOX_SERVICES = ['ticketing', 'payments', 'auction'] as const;
export type OutboxService = (typeof OUTBOX_SERVICES)[number];

export interface EventsOnKafkaOptions {
  kafkaBrokers: readonly string[];
  // The databases whose outbox rows must reach Kafka. Records are matched against all of
  // them, so pass every database that writes to the topics read, or narrow `topics`.
  databases: Partial<Record<OutboxService, SqlExecutor>>;
  // Rows at least this old (database clock) must be on Kafka: the relay has had its time.
  // Younger ones are in flight and only counted.
  settleMs?: number;
  // Only rows created, records produced and auctions closed from this instant on: topics
  // outlive the databases of a run (the demo and the e2e tier start on empty databases).
  since?: Date;
  // Topics to read. Default: every topic in the contracts.
  topics?: readonly string[];
  auctionEventsTopic?: string;
  // Restrict the AuctionClosed check to these auctions (a test's own).
  auctionIds?: readonly string[];
  // Bound on the whole Kafka read; past it the check throws instead of passing.
  timeoutMs?: number;
}

export interface TopicCounts {
  // Records on the topic (redeliveries included) and distinct message ids among them.
  records: number;
  messages: number;
}

export interface OutboxCounts {
  rows: number;
  // Rows younger than settleMs: not yet judged.
  inFlight: number;
}

export interface EventsOnKafkaReport {
  kafka: Record<string, TopicCounts>;
  outbox: Partial<Record<OutboxService, Record<string, OutboxCounts>>>;
  auctions: {
    closed: number;
    // Distinct AuctionClosed messages for the closed auctions in scope.
    closeEvents: number;
    // Extra copies of one AuctionClosed message (same message id): at-least-once delivery,
    // which consumers dedupe. Not a violation: the close decision was still taken once.
    closeEventRedeliveries: number;
  } | null;
  violations: {
    // Outbox rows older than settleMs whose message id is on no record of their topic.
    rowsNeverOnKafka: number;
    // Records with no outbox row behind them (or no message-id header at all).
    inventedMessages: number;
    // Closed auctions with no AuctionClosed on Kafka.
    closedAuctionsWithoutEvent: number;
    // Closed auctions with two or more distinct AuctionClosed messages: two close decisions.
    closedAuctionsClosedTwice: number;
    // AuctionClosed on Kafka for an auction that is open.
    closeEventsForOpenAuctions: number;
  };
  // A few ids per violation, for the person reading the report.
  examples: Partial<Record<keyof EventsOnKafkaReport['violations'], string[]>>;
  total: number;
}

const EXAMPLES = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGE_ID_HEADER = 'message-id';

interface OutboxRowSeen {
  service: OutboxService;
  messageId: string;
  topic: string;
  settled: boolean;
}

async function readOutbox(
  service: OutboxService,
  sql: SqlExecutor,
  topics: readonly string[],
  settleMs: number,
  since: Date | null,
): Promise<OutboxRowSeen[]> {
  const { rows } = await sql.query<{ message_id: string; topic: string; settled: boolean }>(
    `select message_id::text as message_id, topic,
            created_at < now() - make_interval(secs => $2::float8 / 1000) as settled
       from outbox_messages
      where topic = any($1::text[]) and ($3::timestamptz is null or created_at >= $3)`,
    [topics, settleMs, since],
  );
  return rows.map((r) => ({
    service,
    messageId: r.message_id,
    topic: r.topic,
    settled: r.settled,
  }));
}

// Which of these ids has an outbox row in any of the databases, whatever its age or topic.
async function knownIds(
  databases: readonly SqlExecutor[],
  ids: readonly string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  const candidates = ids.filter((id) => UUID.test(id));
  if (candidates.length === 0) return known;
  for (const sql of databases) {
    const { rows } = await sql.query<{ id: string }>(
      `select message_id::text as id from outbox_messages where message_id = any($1::uuid[])`,
      [candidates],
    );
    rows.forEach((r) => known.add(r.id));
  }
  return known;
}

const describe = (r: KafkaRecord) =>
  `${r.topic}/${r.partition}@${r.offset}${r.headers[MESSAGE_ID_HEADER] ? ` ${r.headers[MESSAGE_ID_HEADER]}` : ''}`;

interface CloseEvent {
  auctionId: string;
  messageId: string;
}

const closeEventOf = (record: KafkaRecord): CloseEvent | null => {
  try {
    const body = JSON.parse(record.value) as { type?: unknown; auctionId?: unknown };
    const messageId = record.headers[MESSAGE_ID_HEADER];
    if (body.type !== AUCTION_EVENT_TYPES.closed || typeof body.auctionId !== 'string') return null;
    // Without a message id the record is already counted as invented; key it by offset so
    // it still counts as a close of its own.
    return { auctionId: body.auctionId, messageId: messageId ?? describe(record) };
  } catch {
    return null;
  }
};

export async function verifyEventsOnKafka(
  options: EventsOnKafkaOptions,
): Promise<EventsOnKafkaReport> {
  const topics = options.topics ?? Object.values(TOPICS);
  const auctionTopic = options.auctionEventsTopic ?? TOPICS.auctionEvents;
  const settleMs = options.settleMs ?? 10_000;
  const since = options.since ?? null;
  const services = OUTBOX_SERVICES.filter((s) => options.databases[s] !== undefined);

  // The databases first, then Kafka: a row the snapshot holds was committed before the end
  // offsets are fetched, so a relay that did its work in time has it below those offsets.
  const rows: OutboxRowSeen[] = [];
  for (const service of services) {
    const sql = options.databases[service] as SqlExecutor;
    rows.push(...(await readOutbox(service, sql, topics, settleMs, since)));
  }
  const auctionDb = options.databases.auction;
  const auctions = auctionDb
    ? (
        await auctionDb.query<{ id: string; closed: boolean; settled: boolean; recent: boolean }>(
          `select id::text as id, status = 'closed' as closed,
                  coalesce(closed_at < now() - make_interval(secs => $2::float8 / 1000), false) as settled,
                  ($3::timestamptz is null or closed_at >= $3) as recent
             from auctions where ($1::uuid[] is null or id = any($1::uuid[]))`,
          [options.auctionIds ?? null, settleMs, since],
        )
      ).rows
    : null;

  const records = (
    await readKafkaSnapshot({
      brokers: options.kafkaBrokers,
      topics: [...new Set([...topics, ...(auctions ? [auctionTopic] : [])])],
      timeoutMs: options.timeoutMs,
    })
  ).filter((r) => since === null || r.timestamp >= since.getTime());

  const kafka: Record<string, TopicCounts> = {};
  const onTopic = new Map<string, Set<string>>();
  for (const topic of topics) {
    kafka[topic] = { records: 0, messages: 0 };
    onTopic.set(topic, new Set());
  }
  for (const r of records) {
    const counts = (kafka[r.topic] ??= { records: 0, messages: 0 });
    const ids = onTopic.get(r.topic) ?? new Set<string>();
    onTopic.set(r.topic, ids);
    counts.records += 1;
    const id = r.headers[MESSAGE_ID_HEADER];
    if (id !== undefined && !ids.has(id)) {
      ids.add(id);
      counts.messages += 1;
    }
  }

  const outbox: EventsOnKafkaReport['outbox'] = {};
  const examples: EventsOnKafkaReport['examples'] = {};
  const note = (violation: keyof EventsOnKafkaReport['violations'], example: string) => {
    const list = (examples[violation] ??= []);
    if (list.length < EXAMPLES) list.push(example);
  };
  let rowsNeverOnKafka = 0;
  for (const row of rows) {
    const perTopic = (outbox[row.service] ??= {});
    const counts = (perTopic[row.topic] ??= { rows: 0, inFlight: 0 });
    counts.rows += 1;
    if (!row.settled) counts.inFlight += 1;
    else if (!onTopic.get(row.topic)?.has(row.messageId)) {
      rowsNeverOnKafka += 1;
      note('rowsNeverOnKafka', `${row.service} ${row.topic} ${row.messageId}`);
    }
  }

  // Invented: a record whose message id no outbox row has. Rows outside the snapshot (too
  // old for `since`, or committed after it) are looked up by id before anything is blamed.
  const inSnapshot = new Set(rows.map((r) => r.messageId));
  const unmatched = records.filter((r) => {
    const id = r.headers[MESSAGE_ID_HEADER];
    return id === undefined || !inSnapshot.has(id);
  });
  const found = await knownIds(
    services.map((s) => options.databases[s] as SqlExecutor),
    [...new Set(unmatched.map((r) => r.headers[MESSAGE_ID_HEADER] ?? ''))],
  );
  let inventedMessages = 0;
  for (const r of unmatched) {
    const id = r.headers[MESSAGE_ID_HEADER];
    if (id !== undefined && found.has(id)) continue;
    inventedMessages += 1;
    note('inventedMessages', describe(r));
  }

  let auctionSummary: EventsOnKafkaReport['auctions'] = null;
  let closedAuctionsWithoutEvent = 0;
  let closedAuctionsClosedTwice = 0;
  let closeEventsForOpenAuctions = 0;
  if (auctions) {
    // auction id -> message id -> copies on Kafka
    const closes = new Map<string, Map<string, number>>();
    for (const r of records) {
      if (r.topic !== auctionTopic) continue;
      const event = closeEventOf(r);
      if (!event) continue;
      const copies = closes.get(event.auctionId) ?? new Map<string, number>();
      closes.set(event.auctionId, copies);
      copies.set(event.messageId, (copies.get(event.messageId) ?? 0) + 1);
    }
    let closed = 0;
    let closeEvents = 0;
    let closeEventRedeliveries = 0;
    for (const auction of auctions) {
      const copies = closes.get(auction.id);
      const distinct = copies?.size ?? 0;
      if (!auction.closed) {
        if (distinct > 0) {
          closeEventsForOpenAuctions += distinct;
          note('closeEventsForOpenAuctions', auction.id);
        }
        continue;
      }
      // Closed before `since`: its event may be older than the records in scope.
      if (!auction.recent) continue;
      closed += 1;
      closeEvents += distinct;
      closeEventRedeliveries += [...(copies?.values() ?? [])].reduce((sum, n) => sum + n - 1, 0);
      if (distinct > 1) {
        closedAuctionsClosedTwice += 1;
        note('closedAuctionsClosedTwice', auction.id);
      } else if (distinct === 0 && auction.settled) {
        closedAuctionsWithoutEvent += 1;
        note('closedAuctionsWithoutEvent', auction.id);
      }
    }
    auctionSummary = { closed, closeEvents, closeEventRedeliveries };
  }

  const violations = {
    rowsNeverOnKafka,
    inventedMessages,
    closedAuctionsWithoutEvent,
    closedAuctionsClosedTwice,
    closeEventsForOpenAuctions,
  };
  return {
    kafka,
    outbox,
    auctions: auctionSummary,
    violations,
    examples,
    total: Object.values(violations).reduce((sum, n) => sum + n, 0),
  };
}
