import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import {
  createTestDatabase,
  createTestTopic,
  forkTs,
  integrationEndpoints,
  killAndWait,
  nextMessage,
  testKafka,
  type TestDatabase,
} from '@suite/testing';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { applyOutboxMigrations, MESSAGE_ID_HEADER } from '../outbox/outbox-writer';
import type { SagaCommandEnvelope } from './saga.definition';
import { consumerFailoverBoundMs, consumerGroupTiming } from './saga.kafka';

const WORKER = join(__dirname, 'testing', 'participant.worker.ts');
// Short enough for a test, long enough to be far from the broker's minimum (1 s here).
const SESSION_TIMEOUT_MS = 6_000;

type Report = { ready?: string; joined?: string; handled?: string; left?: string };

// A participant in its own process, fed a steady stream of commands. kill -9 mid-stream and
// an immediate restart: the restarted process is at work again within the stated failover
// bound. SIGTERM instead: the process leaves its group, and its successor starts at once.
describe('saga participant failover over Kafka', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let topic: string;
  let groupId: string;
  let producer: Producer;
  const children: ChildProcess[] = [];
  const produced: string[] = [];
  const stopProducing = new AbortController();
  let producing: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    db = await createTestDatabase('participant failover');
    await applySuppressionMigrations(db.pool);
    await applyOutboxMigrations(db.pool);
    await db.pool.query('create table effects (saga_id text primary key, handled_by text)');
    kafka = testKafka('participant-failover');
    topic = await createTestTopic(kafka, 'participant failover', 3);
    groupId = `${topic}-participant`;
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    stopProducing.abort();
    await producing;
    await Promise.all(children.map((c) => killAndWait(c)));
    await producer.disconnect();
    await db.drop();
  });

  // Boots a participant; it joins the group when started.
  const boot = async (name: string) => {
    const child = forkTs(WORKER, [
      db.url,
      integrationEndpoints().kafkaBrokers.join(','),
      topic,
      groupId,
      String(SESSION_TIMEOUT_MS),
      name,
    ]);
    children.push(child);
    await nextMessage<Report>(child, (m) => m.ready === name, 30_000);
    return child;
  };
  const start = (child: ChildProcess) => child.send({ start: true });
  const spawn = async (name: string) => {
    const child = await boot(name);
    start(child);
    return child;
  };
  const firstHandled = (child: ChildProcess, timeoutMs: number) =>
    nextMessage<Report>(child, (m) => m.handled !== undefined, timeoutMs);
  // One command every 50 ms, spread over every partition by its key, until stopped.
  const produce = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      const sagaId = `saga-${produced.length}`;
      const command: SagaCommandEnvelope = {
        sagaId,
        sagaType: 'failover',
        step: 'work',
        phase: 'action',
        attempt: 1,
        idempotencyKey: `${sagaId}:work`,
        type: 'Work',
        replyTopic: `${topic}-replies`,
        payload: {},
      };
      await producer.send({
        topic,
        messages: [
          {
            key: sagaId,
            value: JSON.stringify(command),
            headers: { [MESSAGE_ID_HEADER]: randomUUID() },
          },
        ],
      });
      produced.push(sagaId);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const handled = async () =>
    Number((await db.pool.query<{ n: string }>('select count(*) as n from effects')).rows[0]?.n);

  it('a participant killed with SIGKILL and restarted is back at work within the bound', async () => {
    const bound = consumerFailoverBoundMs(consumerGroupTiming(SESSION_TIMEOUT_MS));
    const first = await spawn('first');
    producing = produce(stopProducing.signal);
    await firstHandled(first, 30_000);
    // Let it work for a while, so the kill lands mid-stream.
    await new Promise((r) => setTimeout(r, 1_000));

    const killedAt = Date.now();
    await killAndWait(first, 'SIGKILL');
    const second = await spawn('second');
    await firstHandled(second, bound + 5_000);
    const failoverMs = Date.now() - killedAt;
    console.log(
      `participant back at work ${failoverMs} ms after SIGKILL + restart ` +
        `(session timeout ${SESSION_TIMEOUT_MS} ms, stated bound ${bound} ms)`,
    );
    expect(failoverMs).toBeLessThanOrEqual(bound);

    // SIGTERM: the process leaves the group, so its successor needs no session timeout.
    // The successor is booted first: what is measured is the group's handover alone.
    const third = await boot('third');
    const stoppedAt = Date.now();
    await killAndWait(second, 'SIGTERM');
    start(third);
    await firstHandled(third, bound);
    const handoverMs = Date.now() - stoppedAt;
    console.log(`participant back at work ${handoverMs} ms after SIGTERM (successor booted)`);
    expect(handoverMs).toBeLessThan(SESSION_TIMEOUT_MS / 2);

    // Nothing was lost across the two handovers: every command produced is handled.
    stopProducing.abort();
    await producing;
    const deadline = Date.now() + 15_000;
    while ((await handled()) < produced.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await handled()).toBe(produced.length);
  }, 90_000);
});
