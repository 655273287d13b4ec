import type { Kafka } from 'kafkajs';
import { consumeUntil, createTestTopic, testKafka, uniqueName } from '../index';

describe('kafka transactions with a read_committed consumer (smoke)', () => {
  let kafka: Kafka;
  let topic: string;

  const readAll = (groupId: string, readUncommitted: boolean) =>
    consumeUntil(kafka, topic, {
      groupId,
      readUncommitted,
      decode: (value) => value.toString(),
      // The last committed record proves the reader got past the aborted one.
      until: (seen) => seen.includes('committed-3'),
    });

  beforeAll(async () => {
    kafka = testKafka('smoke-transaction');
    topic = await createTestTopic(kafka, 'smoke transaction', 1);

    const producer = kafka.producer({
      transactionalId: uniqueName('smoke tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({
      topic,
      acks: -1,
      messages: [{ value: 'committed-1' }, { value: 'committed-2' }],
    });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, acks: -1, messages: [{ value: 'aborted-1' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, acks: -1, messages: [{ value: 'committed-3' }] });
    await last.commit();
    await producer.disconnect();
  });

  it('shows committed records and hides aborted ones', async () => {
    expect(await readAll(`${topic}-committed-reader`, false)).toEqual([
      'committed-1',
      'committed-2',
      'committed-3',
    ]);
  });

  it('lets a read_uncommitted consumer see the aborted record, so the check above can fail', async () => {
    expect(await readAll(`${topic}-dirty-reader`, true)).toContain('aborted-1');
  });
});
