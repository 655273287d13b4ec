import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createTestDatabase, forkTs, nextMessage, type TestDatabase } from '@suite/testing';
import type { MessageProducer, OutgoingMessage } from '../../ports/message-producer';
import { poolTransactionRunner, type TransactionRunner } from '../../ports/transaction-runner';
import { outboxBacklog } from './outbox-metrics';
import { OutboxRelay } from './outbox-relay';
import { pgListenWakeups } from './outbox-wakeups';
import { applyOutboxMigrations, writeOutbox } from './outbox-writer';

// The pipelined relay (drain and run overlap up to pipelineDepth batches) and the LISTEN wake-ups, against
// the real Postgres with an in-memory broker that can fail a chosen send.
describe('pipelined relay and wake-ups against Postgres', () => {
  let db: TestDatabase;
  let tx: TransactionRunner;
  let sent: { seq: number; key: string }[];

  beforeAll(async () => {
    db = await createTestDatabase('outbox pipeline');
    await applyOutboxMigrations(db.pool);
    tx = poolTransactionRunner({ connect: () => db.pool.connect() });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    sent = [];
    await db.pool.query('delete from outbox_messages');
  });

  const write = async (rows: number, keys: number, options = {}) => {
    await tx.inTransaction(async (sql) => {
      for (let seq = 0; seq < rows; seq++) {
        await writeOutbox(
          sql,
          'orders.events',
          { key: `k${seq % keys}`, value: JSON.stringify({ seq }) },
          options,
        );
      }
    });
  };
  const record = (messages: OutgoingMessage[]) => {
    for (const m of messages) sent.push({ key: m.key, seq: JSON.parse(m.value).seq as number });
  };
  // Fails send number `failAt` (1-based) after a pause, so the next batch is already claimed
  // when it fails; `deliverFirst` writes the messages before failing (an ambiguous failure).
  const brokerFailing = (failAt: number, deliverFirst: boolean): MessageProducer => {
    let calls = 0;
    return {
      send: async (_topic, messages) => {
        calls += 1;
        if (calls !== failAt) return record(messages);
        await sleep(50);
        if (deliverFirst) record(messages);
        throw new Error(`send ${failAt} failed`);
      },
    };
  };
  // Every key's events in the order of their first delivery must be ascending and complete.
  const expectFirstDeliveriesInOrder = (keys: number, rows: number) => {
    for (let k = 0; k < keys; k++) {
      const firsts: number[] = [];
      for (const d of sent.filter((s) => s.key === `k${k}`)) {
        if (!firsts.includes(d.seq)) firsts.push(d.seq);
      }
      expect(firsts).toEqual(
        Array.from({ length: rows }, (_, i) => i).filter((i) => i % keys === k),
      );
    }
  };
  const ok: MessageProducer = { send: async (_t, messages) => record(messages) };

  it('a pipelined drain publishes everything once, in order per key', async () => {
    await write(200, 7);
    const relay = new OutboxRelay(tx, ok, { batchSize: 15 });
    expect(await relay.drain()).toEqual({ published: 200, batches: 14, idle: true });
    expect(sent).toHaveLength(200);
    expectFirstDeliveriesInOrder(7, 200);
    expect(relay.stats()).toMatchObject({ batches: 14, published: 200, failures: 0 });
  });

  it('keeps up to pipelineDepth batches in flight, never more, and loses nothing', async () => {
    for (const depth of [2, 3, 4]) {
      sent = [];
      await db.pool.query('delete from outbox_messages');
      await write(120, 5);
      let open = 0;
      let most = 0;
      const counting: TransactionRunner = {
        inTransaction: async (work) => {
          most = Math.max(most, ++open);
          try {
            return await tx.inTransaction(work);
          } finally {
            open -= 1;
          }
        },
      };
      // A slow broker, so the claims run ahead of the sends as far as the depth lets them.
      const slow: MessageProducer = {
        send: async (_topic, messages) => {
          await sleep(20);
          record(messages);
        },
      };
      const relay = new OutboxRelay(counting, slow, { batchSize: 10, pipelineDepth: depth });
      expect(await relay.drain()).toEqual({ published: 120, batches: 12, idle: true });
      expect(most).toBe(depth);
      expect(sent).toHaveLength(120);
      expectFirstDeliveriesInOrder(5, 120);
    }
    expect(() => new OutboxRelay(tx, ok, { pipelineDepth: 1 })).toThrow(RangeError);
  });

  it('with three batches in flight, a failed send rolls back the two behind it', async () => {
    await write(60, 3);
    const relay = new OutboxRelay(tx, brokerFailing(1, true), { batchSize: 10, pipelineDepth: 3 });
    await expect(relay.drain()).rejects.toThrow('send 1 failed');
    // The first batch reached the broker but was not marked; nothing else was sent.
    expect(sent.map((s) => s.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect((await outboxBacklog(db.pool)).backlog).toBe(60);
    await new OutboxRelay(tx, ok, { batchSize: 10 }).drain();
    expectFirstDeliveriesInOrder(3, 60);
    expect(sent).toHaveLength(70);
  });

  it('a pipelined relay keeps per-key order when the first batch send fails', async () => {
    await write(60, 3);
    const relay = new OutboxRelay(tx, brokerFailing(1, false), { batchSize: 10 });
    await expect(relay.drain()).rejects.toThrow('send 1 failed');
    // The second batch was claimed behind the first, and rolled back unsent.
    expect(sent).toEqual([]);
    expect((await outboxBacklog(db.pool)).backlog).toBe(60);
    await new OutboxRelay(tx, ok, { batchSize: 10 }).drain();
    expectFirstDeliveriesInOrder(3, 60);
  });

  it("a pipelined relay keeps per-key order when the second batch's send fails", async () => {
    await write(60, 3);
    const relay = new OutboxRelay(tx, brokerFailing(2, true), { batchSize: 10 });
    await expect(relay.drain()).rejects.toThrow('send 2 failed');
    expect(relay.stats()).toMatchObject({ failures: 1, lastError: 'send 2 failed' });
    // Batch 1 committed; batch 2 was delivered but rolled back; batch 3 never went out.
    expect(sent.map((s) => s.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await outboxBacklog(db.pool)).backlog).toBe(50);
    await new OutboxRelay(tx, ok, { batchSize: 10 }).drain();
    expectFirstDeliveriesInOrder(3, 60);
    expect(sent).toHaveLength(70);
  });

  it('a pipelined relay rolls the next batch back when this batch cannot be marked', async () => {
    await write(40, 2);
    let marks = 0;
    // The database refuses the first batch's mark (after its ack); the second batch, already
    // sent behind it, must not commit ahead of it.
    const failingTx: TransactionRunner = {
      inTransaction: (work) =>
        tx.inTransaction((sql) =>
          work({
            query: (text, params) => {
              if (text.includes('set published_at') && ++marks === 1) {
                return Promise.reject(new Error('mark failed'));
              }
              return sql.query(text, params);
            },
          }),
        ),
    };
    await expect(new OutboxRelay(failingTx, ok, { batchSize: 10 }).drain()).rejects.toThrow(
      'mark failed',
    );
    expect((await outboxBacklog(db.pool)).backlog).toBe(40);
    await new OutboxRelay(tx, ok, { batchSize: 10 }).drain();
    expectFirstDeliveriesInOrder(2, 40);
  });

  it('a pipelined relay still skips a key whose earlier row another relay holds', async () => {
    await write(60, 3);
    // Another relay holds k1's row seq 31: k1's later rows wait, earlier ones and other keys go.
    const held = await db.pool.query<{ id: string }>(
      `select id from outbox_messages where aggregate_key = 'k1' order by id offset 10 limit 1`,
    );
    const holder = await db.pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from outbox_messages where id = $1 for update', [
        held.rows[0]?.id,
      ]);
      // Batches larger than the blocked rows, so they never fill a claim on their own.
      expect(await new OutboxRelay(tx, ok, { batchSize: 12 }).drain()).toMatchObject({
        published: 50,
        idle: true,
      });
      expect(Math.max(...sent.filter((s) => s.key === 'k1').map((s) => s.seq))).toBe(28);
      await holder.query('rollback');
    } finally {
      holder.release();
    }
    await new OutboxRelay(tx, ok, { batchSize: 12 }).drain();
    expectFirstDeliveriesInOrder(3, 60);
  });

  it('a committed row wakes the relay without waiting for the idle delay', async () => {
    const wakeups = await pgListenWakeups(db.url, { shard: 0 });
    const stop = new AbortController();
    const relay = new OutboxRelay(tx, ok, { wakeups });
    // An idle delay far beyond the test's patience: only the notification can end the wait.
    const running = relay.run(stop.signal, { idleDelayMs: 60_000 });
    try {
      await sleep(100);
      const started = Date.now();
      await write(1, 1, { wakeup: true });
      for (let i = 0; i < 200 && sent.length === 0; i++) await sleep(10);
      expect(sent).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(1_000);

      // A rolled-back write notifies nobody; the next commit still wakes the relay.
      await expect(
        tx.inTransaction(async (sql) => {
          await writeOutbox(sql, 'orders.events', { key: 'k0', value: '{}' }, { wakeup: true });
          throw new Error('domain rule violated');
        }),
      ).rejects.toThrow('domain rule violated');
      await write(1, 1, { wakeup: true });
      for (let i = 0; i < 200 && sent.length === 1; i++) await sleep(10);
      expect(sent).toHaveLength(2);
    } finally {
      stop.abort();
      await running;
      await wakeups.close();
    }
  });

  // A batch's send can fail while the loop still waits for the next batch's claim, before
  // anyone awaits the failed batch. That rejection must count as handled: Node ends a process
  // on an unhandled rejection, so a broker restart would take the whole service down. Jest
  // swallows them, hence a process of its own.
  it('a send that fails while the next batch is being claimed does not end the process', async () => {
    await write(40, 3);
    const child = forkTs(join(__dirname, 'testing', 'relay-send-failure.worker.ts'), [db.url]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const report = await nextMessage<{ drained: number }>(child, (m) => 'drained' in m, 60_000);
    expect(report.drained).toBeGreaterThan(0);
    expect(await exited).toBe(0);
  });
});
