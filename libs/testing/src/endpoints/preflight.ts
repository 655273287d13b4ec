import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { EndpointsUnavailableError, type InfraEndpoints } from './endpoints';

const TIMEOUT_MS = 5_000;

async function check(component: string, probe: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
  } catch (err) {
    throw new EndpointsUnavailableError(
      `${component} is not reachable (${(err as Error).message}).`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Fails the run at once, naming the component, instead of letting every test time out. */
export async function preflight(endpoints: InfraEndpoints): Promise<void> {
  await check(`Postgres at ${endpoints.databaseUrl}`, async () => {
    const client = new Client({
      connectionString: endpoints.databaseUrl,
      connectionTimeoutMillis: TIMEOUT_MS,
    });
    await client.connect();
    try {
      await client.query('select 1');
    } finally {
      await client.end();
    }
  });
  await check(`Redis at ${endpoints.redisUrl}`, async () => {
    const redis = new Redis(endpoints.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
  await check(`Kafka at ${endpoints.kafkaBrokers.join(',')}`, async () => {
    const admin = new Kafka({
      clientId: 'test-preflight',
      brokers: endpoints.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    }).admin();
    await admin.connect();
    try {
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  });
  if (endpoints.toxiproxyUrl) {
    const url = endpoints.toxiproxyUrl;
    await check(`toxiproxy at ${url}`, async () => {
      const res = await fetch(`${url}/version`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    });
  }
}
