import type { Kafka } from 'kafkajs';
import {
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  testKafka,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { poolTransactionRunner } from '../../ports/transaction-runner';
import { applyFencingSchema, PostgresEpochs } from '../../selection/epochs';
import { checkFence } from '../../selection/fenced-write';
import { FencedHolds } from '../../selection/fenced-holds';
import type { Lease } from '../../selection/leader-elector';
import {
  createIdempotentProducer,
  type IdempotentProducer,
} from '../../suppression/kafka/idempotent-producer';
import { LeasedOutboxRelay } from './leased-relay';
import { OutboxRelay } from './outbox-relay';
import { applyOutboxMigrations, writeOutbox } from './outbox-writer';

// One relay per shard through the fenced lease: two relays compete for shard 0, only the
// lease holder publishes, the other takes over when it resigns, and the deposed one's token
// no longer passes the shard's fence.
describe('leased outbox relay', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let kafka: Kafka;
  let topic: string;
  let producer: IdempotentProducer;

  beforeAll(async () => {
    db = await createTestDatabase('leased relay');
    redis = createTestRedis('leased relay');
    await applyOutboxMigrations(db.pool);
    await applyFencingSchema(db.pool);
    kafka = testKafka('leased-relay');
    topic = await createTestTopic(kafka, 'leased relay', 3);
    producer = createIdempotentProducer(kafka);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await redis.cleanup();
    await db.drop();
  });

  const tx = () => poolTransactionRunner(db.pool);
  const write = async (from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      await writeOutbox(db.pool, topic, { key: `order-${i % 7}`, value: JSON.stringify({ i }) });
    }
  };
  const pending = async () =>
    (
      await db.pool.query<{ n: number }>(
        'select count(*)::int as n from outbox_messages where published_at is null',
      )
    ).rows[0]?.n;
  const until = async (condition: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('publishes only from the lease holder, and fails over when it resigns', async () => {
    const leases: Record<string, Lease> = {};
    const relay = (owner: string) =>
      new LeasedOutboxRelay(tx(), producer, {
        holds: new FencedHolds({
          namespace: 'test-service',
          redis: redis.connect(),
          epochs: new PostgresEpochs(db.pool),
        }),
        shard: 0,
        owner,
        ttlMs: 1_500,
        batchSize: 20,
        timing: { idleDelayMs: 20 },
        onElected: (lease) => (leases[owner] = lease),
      });
    const a = relay('relay-a');
    const b = relay('relay-b');
    await write(0, 100);
    a.start();
    await until(async () => a.isLeading(), 'relay-a leads');
    b.start();
    await until(async () => (await pending()) === 0, 'the first 100 rows are published');

    expect(a.stats().published).toBe(100);
    expect(b.isLeading()).toBe(false);
    expect(b.stats().published).toBe(0);

    await a.stop();
    await write(100, 50);
    await until(async () => (await pending()) === 0, 'the next 50 rows are published');
    expect(b.stats().published).toBe(50);
    const first = leases['relay-a']?.token ?? 0;
    const second = leases['relay-b']?.token ?? 0;
    expect(second).toBeGreaterThan(first);

    // relay-a, had it only paused instead of resigning, would still hold its old token.
    // Nobody leads now, so these rows wait for whoever holds the lease next.
    await b.stop();
    await write(150, 5);
    const stale = new OutboxRelay(tx(), producer, {
      shard: 0,
      fence: async (t) => (await checkFence(t, 'outbox-relay/shard-0', first)).ok,
    });
    expect(await stale.publishBatch()).toEqual({ kind: 'fenced-out' });
    expect(await pending()).toBe(5);
  });

  it('relays of two services sharing one Redis and one key prefix both publish shard 0', async () => {
    // Two services: each its own database (its own epoch sequence and outbox), one Redis.
    const mine = await createTestDatabase('leased relay ticketing');
    const other = await createTestDatabase('leased relay auction');
    try {
      for (const database of [mine, other]) {
        await applyOutboxMigrations(database.pool);
        await applyFencingSchema(database.pool);
      }
      // Far apart on purpose: one scope fed by both sequences would see epochs go back.
      await other.pool.query(`select setval('coordination_fencing_epoch', 1000)`);
      const service = (namespace: string, database: TestDatabase) => {
        const holds = new FencedHolds({
          namespace,
          redis: redis.connect(),
          epochs: new PostgresEpochs(database.pool),
        });
        return new LeasedOutboxRelay(poolTransactionRunner(database.pool), producer, {
          holds,
          shard: 0,
          owner: `${namespace}-1`,
          ttlMs: 1_500,
          batchSize: 20,
          timing: { idleDelayMs: 20 },
        });
      };
      const unpublished = async (database: TestDatabase) =>
        (
          await database.pool.query<{ n: number }>(
            'select count(*)::int as n from outbox_messages where published_at is null',
          )
        ).rows[0]?.n;
      const ticketing = service('ticketing', mine);
      const auction = service('auction', other);
      ticketing.start();
      auction.start();
      for (let i = 0; i < 30; i++) {
        await writeOutbox(mine.pool, topic, { key: `t-${i % 3}`, value: JSON.stringify({ i }) });
        await writeOutbox(other.pool, topic, { key: `a-${i % 3}`, value: JSON.stringify({ i }) });
      }
      try {
        await until(
          async () => (await unpublished(mine)) === 0 && (await unpublished(other)) === 0,
          "both services' rows are published",
        );
        expect(ticketing.isLeading()).toBe(true);
        expect(auction.isLeading()).toBe(true);
        expect(ticketing.stats().published).toBe(30);
        expect(auction.stats().published).toBe(30);
      } finally {
        await ticketing.stop();
        await auction.stop();
      }
      // One epoch key per service: each scope is fed by exactly one sequence.
      const epochKeys = (
        await redis.client.keys(`${redis.prefix}hold:*:outbox-relay:shard-0}:epoch`)
      )
        .filter((key) => !key.includes('{test-service:'))
        .sort();
      expect(epochKeys).toEqual([
        `${redis.prefix}hold:{auction:leader:outbox-relay:shard-0}:epoch`,
        `${redis.prefix}hold:{ticketing:leader:outbox-relay:shard-0}:epoch`,
      ]);
    } finally {
      await mine.drop();
      await other.drop();
    }
  });

  // stop() is often preceded by the demotion it causes; both end the same term. stop() must
  // return only once that term's last batch is over, or rows written after it still go out
  // from the resigned relay.
  it('publishes nothing once stop() has returned, even with a batch in flight', async () => {
    await db.pool.query('delete from outbox_messages');
    let inFlight = 0;
    let sentAfterStop = 0;
    let stopped = false;
    const slow = {
      send: async (t: string, messages: Parameters<IdempotentProducer['send']>[1]) => {
        inFlight += 1;
        await new Promise((r) => setTimeout(r, 300));
        await producer.send(t, messages);
        inFlight -= 1;
        if (stopped) sentAfterStop += 1;
      },
    };
    const relay = new LeasedOutboxRelay(tx(), slow, {
      holds: new FencedHolds({
        namespace: 'test-service',
        redis: redis.connect(),
        epochs: new PostgresEpochs(db.pool),
      }),
      shard: 0,
      owner: 'slow-relay',
      ttlMs: 1_500,
      batchSize: 5,
      timing: { idleDelayMs: 20 },
    });
    await write(0, 40);
    relay.start();
    await until(async () => inFlight > 0, 'a batch is being sent');
    await relay.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 800));
    expect(sentAfterStop).toBe(0);
  });
});
