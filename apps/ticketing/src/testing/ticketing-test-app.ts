// Test harness for ticketing's integration tests: the real app on a fresh database, a
// private Redis key prefix and private Kafka topics, and a token issuer of its own.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DevTokenSigner,
  generateEs256KeyPair,
  initServiceApp,
  loadConfig,
} from '@suite/service-kit';
import {
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  integrationEndpoints,
  testKafka,
  uniqueName,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import type { Kafka } from 'kafkajs';
import { AppModule } from '../app.module';
import { ticketingConfigSchema, type TicketingConfig } from '../config/ticketing.config';

export interface TicketingTestApp {
  app: NestFastifyApplication;
  config: TicketingConfig;
  database: TestDatabase;
  redis: TestRedis;
  kafka: Kafka | undefined;
  // The Authorization header of a request made by userId, with a token the app accepts.
  authAs(userId: string): Promise<{ authorization: string }>;
  // Signs like the real issuer but with another key: the app must refuse its tokens.
  forger: DevTokenSigner;
  close(): Promise<void>;
}

const ISSUER = 'suite';
const AUDIENCE = 'suite';

// Plays the gateway's part: only it holds the private key; the app gets the public one.
function testTokenIssuer(): { publicKeyPem: string; signer: DevTokenSigner } {
  const keys = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem: keys.privateKeyPem,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  return { publicKeyPem: keys.publicKeyPem, signer };
}

export async function startTicketingTestApp(
  label: string,
  env: Record<string, string> = {},
  withKafka = false,
): Promise<TicketingTestApp> {
  const database = await createTestDatabase(label, 4);
  const redis = createTestRedis(label);
  let kafka: Kafka | undefined;
  const topics: Record<string, string> = {};
  if (withKafka) {
    kafka = testKafka(label);
    for (const name of [
      'TICKETING_EVENTS_TOPIC',
      'TICKETING_COMMANDS_TOPIC',
      'TICKETING_REPLIES_TOPIC',
      'PAYMENTS_COMMANDS_TOPIC',
    ]) {
      topics[name] = await createTestTopic(kafka, `${label}_${name.toLowerCase()}`);
    }
  }
  const issuer = testTokenIssuer();
  const config = loadConfig(
    ticketingConfigSchema,
    {
      LOG_LEVEL: 'fatal',
      JWT_PUBLIC_KEY: issuer.publicKeyPem,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      DATABASE_URL: database.url,
      REDIS_URL: integrationEndpoints().redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      KAFKA_BROKERS: integrationEndpoints().kafkaBrokers.join(','),
      KAFKA_CLIENT_ID: uniqueName(label),
      SAGA_WORKERS: withKafka ? 'on' : 'off',
      OUTBOX_IDLE_DELAY_MS: '20',
      RECOVERER_INTERVAL_MS: '100',
      HOLD_SWEEP_INTERVAL_MS: '100',
      ...topics,
      ...env,
    },
    'ticketing',
  );
  const app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  return {
    app,
    config,
    database,
    redis,
    kafka,
    async authAs(userId) {
      return { authorization: `Bearer ${await issuer.signer.sign({ userId })}` };
    },
    forger: testTokenIssuer().signer,
    async close() {
      await app.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
