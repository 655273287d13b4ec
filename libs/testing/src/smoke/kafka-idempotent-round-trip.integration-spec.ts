import type { Kafka } from 'kafkajs';
import { consumeUntil, createTestTopic, testKafka } from '../index';

describe('kafka idempotent producer and consumer round trip (smoke)', () => {
  let kafka: Kafka;
  let topic: string;

  beforeAll(async () => {
    kafka = testKafka('smoke-idempotent');
    topic = await createTestTopic(kafka, 'smoke idempotent', 3);
  });

  it('delivers every record once, in order per key', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = ['seat-1', 'seat-2', 'seat-3', 'seat-4'];
    const perKey = 25;
    for (let seq = 0; seq < perKey; seq++) {
      await producer.send({
        topic,
        acks: -1,
        messages: keys.map((key) => ({ key, value: JSON.stringify({ key, seq }) })),
      });
    }
    await producer.disconnect();

    const records = await consumeUntil(kafka, topic, {
      groupId: `${topic}-reader`,
      decode: (value) => JSON.parse(value.toString()) as { key: string; seq: number },
      until: (seen) => seen.length === keys.length * perKey,
    });

    for (const key of keys) {
      const seqs = records.filter((r) => r.key === key).map((r) => r.seq);
      expect(seqs).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
  });
});
