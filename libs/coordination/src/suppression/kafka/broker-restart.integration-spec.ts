import { Kafka, logLevel } from 'kafkajs';
import { consumeUntil, DisposableKafka } from '@suite/testing';
import { createIdempotentProducer } from './idempotent-producer';

const KEYS = ['order-a', 'order-b', 'order-c', 'order-d'];
const PER_KEY = 150;

interface Record {
  key: string;
  seq: number;
}

// The broker is killed (SIGKILL) and restarted while the idempotent producer is sending.
// Sends in flight at the crash are retried by the producer with their original sequence
// numbers, so the broker keeps each record once. The payload's own sequence numbers show
// whether any record was written twice, lost, or reordered within its key.
describe('idempotent producer across a broker crash and restart', () => {
  let broker: DisposableKafka;

  beforeAll(async () => {
    broker = await DisposableKafka.start();
  });
  afterAll(() => broker.stop());

  it('writes every record exactly once and in order per key', async () => {
    const kafka = new Kafka({
      clientId: 'broker-restart-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      // Long enough to ride out the broker's restart.
      retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'payments.events', numPartitions: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    const producer = createIdempotentProducer(kafka, {
      retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    await producer.connect();
    let failedSends = 0;
    let slowestSendMs = 0;
    let restarted: Promise<void> | undefined;
    for (let seq = 0; seq < PER_KEY; seq++) {
      if (seq === PER_KEY / 3) restarted = broker.restart('SIGKILL');
      const started = performance.now();
      try {
        await producer.send(
          'payments.events',
          KEYS.map((key) => ({ key, value: JSON.stringify({ key, seq }) })),
        );
      } catch {
        // An application would resend this with a new producer sequence: count it, since
        // such a resend is where duplicates could come from.
        failedSends += 1;
        seq -= 1;
      }
      slowestSendMs = Math.max(slowestSendMs, performance.now() - started);
    }
    await restarted;
    await producer.disconnect();

    const records = await consumeUntil<Record>(kafka, 'payments.events', {
      groupId: 'broker-restart-reader',
      decode: (value) => JSON.parse(value.toString()) as Record,
      until: (seen) => seen.length >= KEYS.length * PER_KEY,
      timeoutMs: 60_000,
    });
    // Nothing beyond the expected count arrived late.
    const admin2 = kafka.admin();
    await admin2.connect();
    const offsets = await admin2.fetchTopicOffsets('payments.events');
    await admin2.disconnect();
    const written = offsets.reduce((sum, p) => sum + Number(p.high), 0);

    // Some send waited out the restart, so the crash really happened mid-stream.
    expect(slowestSendMs).toBeGreaterThan(1_000);
    expect(failedSends).toBe(0);
    expect(written).toBe(KEYS.length * PER_KEY);
    for (const key of KEYS) {
      expect(records.filter((r) => r.key === key).map((r) => r.seq)).toEqual(
        Array.from({ length: PER_KEY }, (_, i) => i),
      );
    }
  });
});
