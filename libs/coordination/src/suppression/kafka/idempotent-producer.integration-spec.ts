import type { Kafka } from 'kafkajs';
import { consumeUntil, createTestTopic, testKafka, uniqueName } from '@suite/testing';
import {
  ProducerConfigError,
  createIdempotentProducer,
  createTransactionalProducer,
} from './idempotent-producer';

describe('idempotent and transactional producers against Kafka', () => {
  let kafka: Kafka;

  beforeAll(() => {
    kafka = testKafka('suppression-producer');
  });

  it('round-trips 60 records on 3 keys, each key once and in order', async () => {
    const topic = await createTestTopic(kafka, 'idem producer', 3);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    try {
      for (let seq = 0; seq < 20; seq++) {
        await producer.send(
          topic,
          ['a', 'b', 'c'].map((key) => ({ key, value: JSON.stringify({ key, seq }) })),
        );
      }
    } finally {
      await producer.disconnect();
    }
    const seen = await consumeUntil(kafka, topic, {
      groupId: `${topic}-reader`,
      decode: (value) => JSON.parse(value.toString()) as { key: string; seq: number },
      until: (records) => records.length >= 60,
    });
    for (const key of ['a', 'b', 'c']) {
      expect(seen.filter((r) => r.key === key).map((r) => r.seq)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
    }
  });

  it('refuses a misconfigured producer before it touches the broker', () => {
    expect(() => createIdempotentProducer(kafka, { maxInFlightRequests: 5 })).toThrow(
      ProducerConfigError,
    );
  });

  it('commits output with its transaction and hides an aborted one from read_committed readers', async () => {
    const topic = await createTestTopic(kafka, 'tx producer', 1);
    const producer = createTransactionalProducer(kafka, { transactionalId: uniqueName('rpw') });
    await producer.connect();
    try {
      await producer.transact((txn) => txn.send(topic, [{ key: 'k', value: 'committed-1' }]));
      await expect(
        producer.transact(async (txn) => {
          await txn.send(topic, [{ key: 'k', value: 'aborted-1' }]);
          throw new Error('processing failed after the send');
        }),
      ).rejects.toThrow('processing failed after the send');
      await producer.transact((txn) => txn.send(topic, [{ key: 'k', value: 'committed-2' }]));
    } finally {
      await producer.disconnect();
    }
    const seen = await consumeUntil(kafka, topic, {
      groupId: `${topic}-reader`,
      decode: (value) => value.toString(),
      until: (records) => records.includes('committed-2'),
    });
    expect(seen).toEqual(['committed-1', 'committed-2']);
  });

  it('commits the consumed offset together with the output in a read-process-write cycle', async () => {
    const input = await createTestTopic(kafka, 'rpw input', 1);
    const output = await createTestTopic(kafka, 'rpw output', 1);
    const groupId = `${input}-processor`;
    const plain = createIdempotentProducer(kafka);
    await plain.connect();
    await plain.send(input, [{ key: 'order-1', value: '21' }]);
    await plain.disconnect();

    const producer = createTransactionalProducer(kafka, {
      transactionalId: uniqueName('rpw-proc'),
    });
    await producer.connect();
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [input], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no input within 30 s')), 30_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              await producer.transact(async (txn) => {
                const doubled = String(Number(message.value?.toString()) * 2);
                await txn.send(output, [{ key: message.key?.toString() ?? '', value: doubled }]);
                await txn.sendOffsets(groupId, [
                  {
                    topic,
                    partitions: [{ partition, offset: String(Number(message.offset) + 1) }],
                  },
                ]);
              });
              clearTimeout(timer);
              resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [input] });
    await admin.disconnect();
    expect(committed[0]?.partitions[0]?.offset).toBe('1');
    const seen = await consumeUntil(kafka, output, {
      groupId: `${output}-reader`,
      decode: (value) => value.toString(),
      until: (records) => records.length >= 1,
    });
    expect(seen).toEqual(['42']);
  });
});
