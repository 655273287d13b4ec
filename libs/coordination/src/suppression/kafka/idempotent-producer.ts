import type { Kafka, Message, Producer, ProducerConfig, TopicOffsets } from 'kafkajs';
import type { MessageProducer, OutgoingMessage } from '../../ports/message-producer';

// The only acknowledgement level that keeps an idempotent producer's promise: the
// leader waits for every in-sync replica before answering.
export const ACKS_ALL = -1;

// What callers may still choose. The settings that make the producer idempotent are
// fixed here; passing a conflicting value is refused, never silently overridden, so a
// wrong setting in some app's config shows up at boot instead of as a duplicate.
export interface SafeProducerOptions {
  idempotent?: boolean;
  maxInFlightRequests?: number;
  acks?: number;
  retry?: ProducerConfig['retry'];
  transactionalId?: string;
  transactionTimeout?: number;
  metadataMaxAge?: number;
  createPartitioner?: ProducerConfig['createPartitioner'];
}

export class ProducerConfigError extends Error {
  readonly code = 'PRODUCER_MISCONFIGURED';
  constructor(readonly problems: readonly string[]) {
    super(`refusing a Kafka producer that could write duplicates: ${problems.join('; ')}`);
  }
}

export type ProducerKind = 'idempotent' | 'transactional';

// Every reason the options would break idempotence; empty when they are safe.
export function producerConfigProblems(options: SafeProducerOptions, kind: ProducerKind): string[] {
  const problems: string[] = [];
  if (options.idempotent !== undefined && options.idempotent !== true) {
    problems.push('idempotent must be true');
  }
  // More than one request in flight lets a retried batch land after a later one.
  if (options.maxInFlightRequests !== undefined && options.maxInFlightRequests !== 1) {
    problems.push(`maxInFlightRequests must be 1 (got ${options.maxInFlightRequests})`);
  }
  if (options.acks !== undefined && options.acks !== ACKS_ALL) {
    problems.push(`acks must be -1 (all) (got ${options.acks})`);
  }
  // Without retries a transient error surfaces as a failed send that the caller
  // retries with a new sequence number: the broker cannot dedupe that.
  const retries = options.retry?.retries;
  if (retries !== undefined && !(retries >= 1)) {
    problems.push(`retry.retries must be at least 1 (got ${retries})`);
  }
  if (kind === 'transactional') {
    if (!options.transactionalId) problems.push('a transactional producer needs a transactionalId');
  } else if (options.transactionalId !== undefined) {
    problems.push('transactionalId is set: use createTransactionalProducer');
  }
  return problems;
}

function safeConfig(options: SafeProducerOptions, kind: ProducerKind): ProducerConfig {
  const problems = producerConfigProblems(options, kind);
  if (problems.length > 0) throw new ProducerConfigError(problems);
  return {
    retry: options.retry,
    metadataMaxAge: options.metadataMaxAge,
    createPartitioner: options.createPartitioner,
    transactionalId: options.transactionalId,
    transactionTimeout: options.transactionTimeout,
    // Topics are created on purpose, never by a typo in a producer.
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
  };
}

function toKafkaMessages(messages: readonly OutgoingMessage[]): Message[] {
  return messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers }));
}

export type KafkaProducerSource = Pick<Kafka, 'producer'>;

// An idempotent producer behind the MessageProducer port: every send uses acks=all.
export class IdempotentProducer implements MessageProducer {
  constructor(readonly producer: Producer) {}

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({ topic, acks: ACKS_ALL, messages: toKafkaMessages(messages) });
  }
}

export function createIdempotentProducer(
  kafka: KafkaProducerSource,
  options: SafeProducerOptions = {},
): IdempotentProducer {
  return new IdempotentProducer(kafka.producer(safeConfig(options, 'idempotent')));
}

// What a read-process-write cycle may do inside one Kafka transaction.
export interface ProducerTransaction {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  // Commits the consumer's offsets with the output, so input is consumed exactly
  // when the output becomes visible to read_committed readers.
  sendOffsets(consumerGroupId: string, topics: TopicOffsets[]): Promise<void>;
}

export class TransactionalProducer {
  // kafkajs allows one open transaction per producer: calls queue behind each other.
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly producer: Producer) {}

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  // Commits when `work` resolves, aborts when it rejects (and rethrows its error).
  transact<T>(work: (txn: ProducerTransaction) => Promise<T>): Promise<T> {
    const run = this.tail.then(
      () => this.runOne(work),
      () => this.runOne(work),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runOne<T>(work: (txn: ProducerTransaction) => Promise<T>): Promise<T> {
    const transaction = await this.producer.transaction();
    let result: T;
    try {
      result = await work({
        send: async (topic, messages) => {
          if (messages.length === 0) return;
          await transaction.send({ topic, acks: ACKS_ALL, messages: toKafkaMessages(messages) });
        },
        sendOffsets: (consumerGroupId, topics) =>
          transaction.sendOffsets({ consumerGroupId, topics }),
      });
    } catch (error) {
      if (transaction.isActive()) await transaction.abort();
      throw error;
    }
    await transaction.commit();
    return result;
  }
}

export function createTransactionalProducer(
  kafka: KafkaProducerSource,
  options: SafeProducerOptions & { transactionalId: string },
): TransactionalProducer {
  return new TransactionalProducer(kafka.producer(safeConfig(options, 'transactional')));
}
