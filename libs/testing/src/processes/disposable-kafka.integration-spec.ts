import { Kafka, logLevel } from 'kafkajs';
import { DisposableKafka } from '../index';

describe('disposable Kafka broker', () => {
  let broker: DisposableKafka;

  beforeAll(async () => {
    broker = await DisposableKafka.start();
  });
  afterAll(() => broker.stop());

  it('keeps committed records across a crash and restart', async () => {
    const kafka = new Kafka({
      clientId: 'disposable-kafka-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'kept', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'kept', acks: -1, messages: [{ value: 'before crash' }] });
    await producer.disconnect();

    await broker.restart('SIGKILL');

    const admin2 = kafka.admin();
    await admin2.connect();
    const offsets = await admin2.fetchTopicOffsets('kept');
    await admin2.disconnect();
    expect(offsets[0]?.high).toBe('1');
  });
});
