import { Kafka, logLevel } from 'kafkajs';
import { integrationEndpoints } from '../endpoints/endpoints';
import { uniqueName } from './names';

export function testKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: integrationEndpoints().kafkaBrokers,
    // Failures reach the test as thrown errors; retried broker answers would only be noise.
    logLevel: logLevel.NOTHING,
  });
}

/** Creates a topic that only this test file uses and returns its name. */
export async function createTestTopic(
  kafka: Kafka,
  label: string,
  numPartitions = 1,
): Promise<string> {
  const topic = uniqueName(label).replace(/_/g, '.');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface ConsumeOptions<T> {
  groupId: string;
  readUncommitted?: boolean;
  decode: (value: Buffer, key: Buffer | null) => T;
  /** Stops consuming once this holds for everything read so far. */
  until: (seen: readonly T[]) => boolean;
  timeoutMs?: number;
}

/** Reads a topic from the beginning with a fresh group until `until` holds, or fails on time. */
export async function consumeUntil<T>(
  kafka: Kafka,
  topic: string,
  options: ConsumeOptions<T>,
): Promise<T[]> {
  const seen: T[] = [];
  const consumer = kafka.consumer({
    groupId: options.groupId,
    readUncommitted: options.readUncommitted ?? false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const timeoutMs = options.timeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${topic}: condition not met within ${timeoutMs} ms after ${seen.length} records`,
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(options.decode(message.value ?? Buffer.alloc(0), message.key));
            if (options.until(seen)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
