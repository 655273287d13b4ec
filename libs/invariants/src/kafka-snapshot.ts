import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

// One record as a verifier needs it: where it sits, what it says, and its header values
// as strings.
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  timestamp: number;
}

export interface KafkaSnapshotOptions {
  brokers: readonly string[];
  topics: readonly string[];
  // The whole read must finish within this; a read that cannot is a broken check, not a pass.
  timeoutMs?: number;
}

export class KafkaSnapshotIncomplete extends Error {
  constructor(
    readonly behind: readonly string[],
    timeoutMs: number,
  ) {
    super(
      `Kafka snapshot: not at the end offsets within ${timeoutMs} ms; still behind: ${behind.join(', ')}`,
    );
    this.name = 'KafkaSnapshotIncomplete';
  }
}

const headerText = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
};

// Reads every record of the topics from the log start up to the end offsets fetched when
// the read starts. Records produced later may or may not be included; nothing before the
// end offsets is missed. Bounded: it stops at those offsets or throws on its deadline.
// Reads committed records only, as every consumer of the suite does.
export async function readKafkaSnapshot(options: KafkaSnapshotOptions): Promise<KafkaRecord[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const kafka = new Kafka({
    clientId: 'invariants-kafka-snapshot',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  // Per "topic/partition", the offset the read must reach.
  const remaining = new Map<string, bigint>();
  const groupId = `invariants-snapshot-${randomUUID()}`;
  try {
    const existing = new Set(await admin.listTopics());
    const topics = options.topics.filter((topic) => existing.has(topic));
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low))
          remaining.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    const records: KafkaRecord[] = [];
    if (remaining.size > 0) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new KafkaSnapshotIncomplete([...remaining.keys()], timeoutMs)),
            timeoutMs,
          );
          const reached = (topic: string, partition: number, next: bigint) => {
            const key = `${topic}/${partition}`;
            const end = remaining.get(key);
            if (end !== undefined && next >= end) remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          };
          // Progress comes from the batch events: kafkajs does not hand a batch of only
          // control records or aborted messages to eachBatch, yet those advance the position.
          consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
            reached(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n),
          );
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const end = remaining.get(`${batch.topic}/${batch.partition}`);
                for (const m of batch.messages) {
                  // Past the end offset: produced after the read began, left for the next one.
                  if (end === undefined || BigInt(m.offset) >= end) break;
                  records.push({
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: m.offset,
                    key: m.key === null ? null : m.key.toString(),
                    value: m.value === null ? '' : m.value.toString(),
                    headers: headerText(m.headers),
                    timestamp: Number(m.timestamp),
                  });
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      // A throwaway group: leave nothing behind in the broker's group list.
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records;
  } finally {
    await admin.disconnect();
  }
}
