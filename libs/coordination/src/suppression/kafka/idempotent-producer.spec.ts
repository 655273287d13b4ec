import type { Producer, ProducerConfig, ProducerRecord } from 'kafkajs';
import {
  ProducerConfigError,
  createIdempotentProducer,
  createTransactionalProducer,
  producerConfigProblems,
  type KafkaProducerSource,
} from './idempotent-producer';

function fakeKafka() {
  const configs: ProducerConfig[] = [];
  const sends: ProducerRecord[] = [];
  const kafka: KafkaProducerSource = {
    producer: (config?: ProducerConfig) => {
      configs.push(config ?? {});
      return {
        send: async (record: ProducerRecord) => {
          sends.push(record);
          return [];
        },
      } as unknown as Producer;
    },
  };
  return { kafka, configs, sends };
}

describe('idempotent producer factory', () => {
  it('creates the producer with idempotence, one request in flight and no topic auto-creation', () => {
    const { kafka, configs } = fakeKafka();
    createIdempotentProducer(kafka);
    expect(configs[0]).toMatchObject({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  });

  it('sends every batch with acks=all through the MessageProducer port', async () => {
    const { kafka, sends } = fakeKafka();
    await createIdempotentProducer(kafka).send('payments.events', [
      { key: 'p1', value: '{}', headers: { 'message-id': 'm1' } },
    ]);
    expect(sends).toEqual([
      {
        topic: 'payments.events',
        acks: -1,
        messages: [{ key: 'p1', value: '{}', headers: { 'message-id': 'm1' } }],
      },
    ]);
  });

  it.each([
    [{ idempotent: false }, 'idempotent must be true'],
    [{ maxInFlightRequests: 5 }, 'maxInFlightRequests must be 1 (got 5)'],
    [{ acks: 1 }, 'acks must be -1 (all) (got 1)'],
    [{ acks: 0 }, 'acks must be -1 (all) (got 0)'],
    [{ retry: { retries: 0 } }, 'retry.retries must be at least 1 (got 0)'],
    [{ transactionalId: 'tx-1' }, 'transactionalId is set: use createTransactionalProducer'],
  ])('refuses a misconfigured producer: %j', (options, problem) => {
    const { kafka, configs } = fakeKafka();
    expect(() => createIdempotentProducer(kafka, options)).toThrow(ProducerConfigError);
    expect(producerConfigProblems(options, 'idempotent')).toEqual([problem]);
    expect(configs).toHaveLength(0);
  });

  it('lists every problem at once, with a code that survives serialisation', () => {
    const { kafka } = fakeKafka();
    try {
      createIdempotentProducer(kafka, { idempotent: false, maxInFlightRequests: 2 });
      throw new Error('expected a ProducerConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ProducerConfigError);
      expect((error as ProducerConfigError).code).toBe('PRODUCER_MISCONFIGURED');
      expect((error as ProducerConfigError).problems).toHaveLength(2);
    }
  });

  it('requires a transactionalId for the transactional producer', () => {
    const { kafka, configs } = fakeKafka();
    expect(() => createTransactionalProducer(kafka, { transactionalId: '' })).toThrow(
      'a transactional producer needs a transactionalId',
    );
    createTransactionalProducer(kafka, { transactionalId: 'payments-rpw-0' });
    expect(configs[0]).toMatchObject({
      transactionalId: 'payments-rpw-0',
      idempotent: true,
      maxInFlightRequests: 1,
    });
  });
});
