import type { InfraEndpoints } from './endpoints';

// The path for machines with a Docker engine: the project's own infrastructure images (built by
// `bash docker/compose.sh build`), the same Debian packages and Kafka jars as the native stack.
// Containers live for the whole Jest run and are stopped by the global teardown. Ryuk, the
// reaper testcontainers starts by default, needs an image from a registry; where none answers,
// run with TESTCONTAINERS_RYUK_DISABLED=true and the teardown below is the clean-up.
const started: { stop(): Promise<unknown> }[] = [];

export const INFRA_IMAGES = {
  postgres: 'coordination-suite/postgres:local',
  redis: 'coordination-suite/redis:local',
  kafka: 'coordination-suite/kafka:local',
} as const;

export async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(): Promise<InfraEndpoints> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const password = 'suite-test';
  const [postgres, redis] = await Promise.all([
    new GenericContainer(INFRA_IMAGES.postgres)
      .withEnvironment({ POSTGRES_PASSWORD: password })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forHealthCheck())
      .start(),
    new GenericContainer(INFRA_IMAGES.redis)
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forHealthCheck())
      .start(),
  ]);
  started.push(postgres, redis);
  // Kafka advertises the address clients outside the container use, so the host port is
  // fixed before the start.
  const kafkaPort = Number(process.env['SUITE_TESTCONTAINERS_KAFKA_PORT'] ?? 39094);
  const kafka = await new GenericContainer(INFRA_IMAGES.kafka)
    .withEnvironment({ KAFKA_NODE_ID: '1', KAFKA_EXTERNAL: `127.0.0.1:${kafkaPort}` })
    .withExposedPorts({ container: 9094, host: kafkaPort })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(120_000)
    .start();
  started.push(kafka);
  return {
    source: 'testcontainers',
    databaseUrl: `postgres://postgres:${password}@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
  };
}

export async function stopContainers(): Promise<void> {
  await Promise.all(started.splice(0).map((c) => c.stop()));
}
