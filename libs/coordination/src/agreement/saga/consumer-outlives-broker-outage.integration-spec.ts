import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  createTestDatabase,
  DisposableKafka,
  forkTs,
  killAndWait,
  nextMessage,
  type TestDatabase,
} from '@suite/testing';
import { applySuppressionMigrations } from '../../suppression/schema/migrations';
import { applyOutboxMigrations, MESSAGE_ID_HEADER } from '../outbox/outbox-writer';
import type { SagaCommandEnvelope } from './saga.definition';

const WORKER = join(__dirname, 'testing', 'participant.worker.ts');
const TOPIC = 'outage-commands';

type Report = { ready?: string; joined?: string; handled?: string; restarting?: number };

// A saga participant in its own process, on a private broker that is killed for longer than
// the Kafka client retries a request. The consumer crashes then; it must rejoin once the
// broker is back, and the process must not die of the crash (kafkajs' own restart leaves a
// failed rejoin as an unhandled rejection, which ends a Node process).
describe('saga consumer through a broker outage', () => {
  let broker: DisposableKafka;
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  let exited: { code: number | null; signal: string | null } | undefined;

  beforeAll(async () => {
    broker = await DisposableKafka.start();
    db = await createTestDatabase('consumer broker outage');
    await applySuppressionMigrations(db.pool);
    await applyOutboxMigrations(db.pool);
    await db.pool.query('create table effects (saga_id text primary key, handled_by text)');
    const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    if (child) await killAndWait(child);
    await broker.stop();
    await db.drop();
  });

  const send = async (sagaId: string) => {
    const producer = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const command: SagaCommandEnvelope = {
      sagaId,
      sagaType: 'outage',
      step: 'work',
      phase: 'action',
      attempt: 1,
      idempotencyKey: `${sagaId}:work`,
      type: 'Work',
      replyTopic: `${TOPIC}-replies`,
      payload: {},
    };
    await producer.send({
      topic: TOPIC,
      messages: [
        {
          key: sagaId,
          value: JSON.stringify(command),
          headers: { [MESSAGE_ID_HEADER]: randomUUID() },
        },
      ],
    });
    await producer.disconnect();
  };

  it('rejoins after the broker is back, and the process survives the crash', async () => {
    child = forkTs(WORKER, [
      db.url,
      broker.brokers.join(','),
      TOPIC,
      'outage-participant',
      '6000',
      'participant',
      // Two quick retries: a few seconds of outage outlast them.
      '2',
    ]);
    child.once('exit', (code, signal) => (exited = { code, signal }));
    await nextMessage<Report>(child, (m) => m.ready === 'participant', 30_000);
    child.send({ start: true });
    await nextMessage<Report>(child, (m) => m.joined === 'participant', 30_000);
    await send('before-outage');
    await nextMessage<Report>(child, (m) => m.handled === 'before-outage', 30_000);

    const restarts: number[] = [];
    child.on('message', (m: Report) => m.restarting !== undefined && restarts.push(m.restarting));
    await broker.kill('SIGKILL');
    // The broker stays down until the consumer has run out of retries and crashed, and one
    // rejoin has failed as well (two restart reports): that failed rejoin is what used to end
    // the process. Bounded, instead of a fixed 10 s outage.
    const downUntil = Date.now() + 30_000;
    while (restarts.length < 2 && Date.now() < downUntil) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    await broker.boot();

    await send('after-outage');
    await nextMessage<Report>(child, (m) => m.handled === 'after-outage', 90_000);
    expect(exited).toBeUndefined();
    expect(restarts.length).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ saga_id: string }>(
      'select saga_id from effects order by saga_id',
    );
    expect(rows.map((r) => r.saga_id)).toEqual(['after-outage', 'before-outage']);
  });
});
