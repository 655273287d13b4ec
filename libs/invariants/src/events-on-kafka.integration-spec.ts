import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { AUCTION_EVENT_TYPES } from '@suite/contracts';
import { applyOutboxMigrations, writeOutbox } from '@suite/coordination';
import {
  createTestDatabase,
  createTestTopic,
  integrationEndpoints,
  testKafka,
  type TestDatabase,
} from '@suite/testing';
import { verifyAuctionInvariants } from './auction';
import { verifyEventsOnKafka, type EventsOnKafkaOptions } from './events-on-kafka';

// A small world of three services' outboxes and the topics their relays feed, on the real
// Postgres and Kafka. The good world counts 0; each broken variant changes one thing and
// must be counted exactly. The relay is played by a plain producer that sends what a relay
// sends (the row's payload, key and message-id header), so the test decides what is sent.
describe('verifyEventsOnKafka', () => {
  const kafka = testKafka('invariants-events-on-kafka');
  let producer: Producer;
  let ticketing: TestDatabase;
  let payments: TestDatabase;
  let auction: TestDatabase;
  let topics: { ticketing: string; payments: string; auction: string };

  beforeAll(async () => {
    [ticketing, payments, auction] = await Promise.all([
      createTestDatabase('kafka verifier ticketing', 2),
      createTestDatabase('kafka verifier payments', 2),
      createTestDatabase('kafka verifier auction', 2),
    ]);
    for (const db of [ticketing, payments, auction]) await applyOutboxMigrations(db.pool);
    // The columns of apps/auction's tables that this verifier and the outbox-only
    // verifyAuctionInvariants read.
    await auction.pool.query(`
      create table auctions (
        id            uuid        primary key,
        status        text        not null check (status in ('open', 'closed')),
        reserve_price bigint      not null default 0,
        bid_increment bigint      not null default 100,
        ends_at       timestamptz not null default now() + interval '1 hour',
        closed_at     timestamptz,
        winner_id     text
      );
      create table auction_bids (
        auction_id uuid        not null references auctions (id),
        seq        integer     not null,
        bidder_id  text        not null,
        amount     bigint      not null,
        placed_at  timestamptz not null default now(),
        primary key (auction_id, seq)
      )`);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await Promise.all([ticketing.drop(), payments.drop(), auction.drop()]);
  });

  // Each test gets empty outboxes and topics of its own.
  beforeEach(async () => {
    for (const db of [ticketing, payments, auction]) {
      await db.pool.query('delete from outbox_messages');
    }
    await auction.pool.query('delete from auction_bids; delete from auctions');
    topics = {
      ticketing: await createTestTopic(kafka, 'ticketing events', 2),
      payments: await createTestTopic(kafka, 'payments replies', 2),
      auction: await createTestTopic(kafka, 'auction events', 2),
    };
  });

  const options = (extra: Partial<EventsOnKafkaOptions> = {}): EventsOnKafkaOptions => ({
    kafkaBrokers: integrationEndpoints().kafkaBrokers,
    databases: { ticketing: ticketing.pool, payments: payments.pool, auction: auction.pool },
    topics: [topics.ticketing, topics.payments, topics.auction],
    auctionEventsTopic: topics.auction,
    settleMs: 0,
    timeoutMs: 30_000,
    ...extra,
  });

  interface Row {
    topic: string;
    key: string;
    value: string;
    messageId: string;
  }

  const write = async (
    db: TestDatabase,
    topic: string,
    key: string,
    value: object,
    headers: Record<string, string> = {},
  ) => {
    const payload = JSON.stringify(value);
    const row = await writeOutbox(db.pool, topic, { key, value: payload, headers });
    return { topic, key, value: payload, messageId: row.messageId };
  };

  // What the relay does for a row (once per call: call twice for a redelivery).
  const publish = async (row: Row) => {
    await producer.send({
      topic: row.topic,
      acks: -1,
      messages: [{ key: row.key, value: row.value, headers: { 'message-id': row.messageId } }],
    });
  };

  const closeAuction = async (id: string) => {
    await auction.pool.query(
      `insert into auctions (id, status, ends_at, closed_at)
       values ($1, 'closed', now() - interval '1 minute', now() - interval '1 minute')`,
      [id],
    );
    // As the auction service writes it: the type in the payload and in a header.
    return write(
      auction,
      topics.auction,
      id,
      { type: AUCTION_EVENT_TYPES.closed, auctionId: id, winnerId: null },
      { type: AUCTION_EVENT_TYPES.closed },
    );
  };

  // Two services' events and replies, two closed auctions and an open one, all published.
  const goodWorld = async () => {
    const rows = [
      await write(ticketing, topics.ticketing, 'order-1', { type: 'CheckoutCompleted' }),
      await write(ticketing, topics.ticketing, 'order-2', { type: 'CheckoutCompensated' }),
      await write(payments, topics.payments, 'order-1', { outcome: 'succeeded' }),
      await closeAuction(randomUUID()),
      await closeAuction(randomUUID()),
    ];
    await auction.pool.query(`insert into auctions (id, status) values ($1, 'open')`, [
      randomUUID(),
    ]);
    for (const row of rows) await publish(row);
    return rows;
  };

  it('counts nothing when every outbox row is on Kafka exactly as written', async () => {
    const rows = await goodWorld();
    // At-least-once delivery: one AuctionClosed sent twice with the same message id.
    await publish(rows[3] as Row);

    const report = await verifyEventsOnKafka(options());

    expect(report.violations).toEqual({
      rowsNeverOnKafka: 0,
      inventedMessages: 0,
      closedAuctionsWithoutEvent: 0,
      closedAuctionsClosedTwice: 0,
      closeEventsForOpenAuctions: 0,
    });
    expect(report.total).toBe(0);
    expect(report.kafka[topics.ticketing]).toEqual({ records: 2, messages: 2 });
    expect(report.kafka[topics.auction]).toEqual({ records: 3, messages: 2 });
    expect(report.outbox.ticketing?.[topics.ticketing]).toEqual({ rows: 2, inFlight: 0 });
    expect(report.outbox.payments?.[topics.payments]).toEqual({ rows: 1, inFlight: 0 });
    expect(report.auctions).toEqual({ closed: 2, closeEvents: 2, closeEventRedeliveries: 1 });
  });

  it('counts an outbox row that never reached Kafka once the relay has had its time', async () => {
    await goodWorld();
    const stuck = await write(payments, topics.payments, 'order-3', { outcome: 'failed' });

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.rowsNeverOnKafka).toBe(1);
    expect(report.total).toBe(1);
    expect(report.examples.rowsNeverOnKafka).toEqual([
      `payments ${topics.payments} ${stuck.messageId}`,
    ]);
  });

  it('counts a row marked published that never reached Kafka', async () => {
    await goodWorld();
    // A relay that records success without sending: the outbox table alone looks drained.
    const row = await write(ticketing, topics.ticketing, 'order-3', { type: 'CheckoutCompleted' });
    await ticketing.pool.query(
      'update outbox_messages set published_at = now() where message_id = $1',
      [row.messageId],
    );

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.rowsNeverOnKafka).toBe(1);
    expect(report.total).toBe(1);
  });

  it('leaves a row younger than the settle time in flight, not missing', async () => {
    await goodWorld();
    await write(ticketing, topics.ticketing, 'order-3', { type: 'CheckoutCompleted' });

    const report = await verifyEventsOnKafka(options({ settleMs: 60_000 }));

    expect(report.total).toBe(0);
    expect(report.outbox.ticketing?.[topics.ticketing]).toEqual({ rows: 3, inFlight: 3 });
  });

  it('counts messages on Kafka that no outbox row wrote', async () => {
    await goodWorld();
    await publish({
      topic: topics.ticketing,
      key: 'order-9',
      value: '{}',
      messageId: randomUUID(),
    });
    // A record without any message id cannot be traced to a row either.
    await producer.send({ topic: topics.payments, messages: [{ key: 'x', value: '{}' }] });

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.inventedMessages).toBe(2);
    expect(report.total).toBe(2);
  });

  it('counts a closed auction with two distinct AuctionClosed events as closed twice', async () => {
    await goodWorld();
    const id = randomUUID();
    const first = await closeAuction(id);
    // A second close decision: its own row, its own message id.
    const second = await write(auction, topics.auction, id, {
      type: AUCTION_EVENT_TYPES.closed,
      auctionId: id,
    });
    await publish(first);
    await publish(second);

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.closedAuctionsClosedTwice).toBe(1);
    expect(report.total).toBe(1);
    expect(report.examples.closedAuctionsClosedTwice).toEqual([id]);
  });

  it('counts a closed auction whose AuctionClosed never reached Kafka', async () => {
    await goodWorld();
    const id = randomUUID();
    await closeAuction(id);

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.closedAuctionsWithoutEvent).toBe(1);
    // The same gap, seen from the outbox: its row was never published.
    expect(report.violations.rowsNeverOnKafka).toBe(1);
    expect(report.total).toBe(2);
    // What the full stack hid: the verifier that reads only the outbox table sees one
    // AuctionClosed row per closed auction and counts nothing.
    const outboxOnly = await verifyAuctionInvariants(auction.pool, topics.auction);
    expect(outboxOnly.violations.closedWithoutEvent).toBe(0);
    expect(outboxOnly.total).toBe(0);
  });

  it('counts an AuctionClosed on Kafka for an auction that is still open', async () => {
    await goodWorld();
    const id = randomUUID();
    await auction.pool.query(`insert into auctions (id, status) values ($1, 'open')`, [id]);
    await publish(
      await write(auction, topics.auction, id, { type: AUCTION_EVENT_TYPES.closed, auctionId: id }),
    );

    const report = await verifyEventsOnKafka(options());

    expect(report.violations.closeEventsForOpenAuctions).toBe(1);
    expect(report.total).toBe(1);
  });

  it('ignores records from before `since`, which a previous run on other databases left', async () => {
    // A previous run: its databases are gone, its records are not.
    await publish({ topic: topics.ticketing, key: 'old', value: '{}', messageId: randomUUID() });
    await new Promise((r) => setTimeout(r, 50));
    const since = new Date();
    await goodWorld();

    expect((await verifyEventsOnKafka(options())).violations.inventedMessages).toBe(1);
    expect((await verifyEventsOnKafka(options({ since }))).total).toBe(0);
  });
});
