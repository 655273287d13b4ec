// Kafka readiness probe: a real round trip through the broker listener.
// Creates the readiness topic if needed, produces one record with a fresh id, and reads it
// back with a new consumer group. Exits 0 only when that exact record came back.
const { Kafka, logLevel } = require('kafkajs');
const { randomUUID } = require('node:crypto');

const broker = process.argv[2];
const topic = 'suite.readiness';
const deadlineMs = 30_000;

async function main() {
  const kafka = new Kafka({
    clientId: 'infra-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) {
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  }
  await admin.disconnect();

  const id = randomUUID();
  const consumer = kafka.consumer({ groupId: `infra-probe-${id}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const received = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value && message.value.toString() === id) resolve();
      },
    });
  });
  // Reading from the beginning, the record cannot be missed however late the group joins.

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'probe', value: id }] });
  await producer.disconnect();

  await received;
  await consumer.disconnect();
}

const timer = setTimeout(() => {
  console.error(`kafka probe: no round trip through ${broker} within ${deadlineMs} ms`);
  process.exit(1);
}, deadlineMs);
main().then(
  () => {
    clearTimeout(timer);
    console.log(`kafka probe: round trip through ${broker} ok`);
    process.exit(0);
  },
  (err) => {
    console.error(`kafka probe: ${err && err.message}`);
    process.exit(1);
  },
);
