// Checkout latency end to end, with and without outbox wake-ups: ticketing, payments and the
// PSP simulator as three real processes on fresh databases, a private Redis prefix and
// private topics, against the local infrastructure (npm run infra:up). One buyer at a time
// holds a seat and checks out; the time of POST /checkouts (the saga's four steps through
// Kafka and both relays) is what is reported. A measurement, not a test. From the root,
// with the local stack's endpoints in the environment:
//   set -a; . .local/endpoints.env; set +a
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/ticketing/src/testing/measure-checkout-latency.ts [checkouts] [modes]
// modes: comma-separated OUTBOX_WAKEUPS values, default "off,on".
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DevTokenSigner, generateEs256KeyPair } from '@suite/service-kit';
import {
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  forkTs,
  freePorts,
  integrationEndpoints,
  killAndWait,
  testKafka,
  uniqueName,
  type TestDatabase,
} from '@suite/testing';
import { SEED_EVENT_ID } from '../database/migrations';

const checkouts = Number(process.argv[2] ?? 30);
const modes = (process.argv[3] ?? 'off,on').split(',') as ('on' | 'off')[];
const WARMUP = 3;
const apps = join(__dirname, '../../..');

const keys = generateEs256KeyPair();
const issuer = new DevTokenSigner({
  privateKeyPem: keys.privateKeyPem,
  issuer: 'suite',
  audience: 'suite',
});

async function ready(url: string, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(
  url: string,
  userId: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await issuer.sign({ userId })}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function measure(wakeups: 'on' | 'off'): Promise<number[]> {
  const label = `latency_${wakeups}`;
  const kafka = testKafka(label);
  const endpoints = integrationEndpoints();
  const databases: TestDatabase[] = [];
  const children: ChildProcess[] = [];
  const redis = createTestRedis(label);
  try {
    const database = async (name: string) => {
      const created = await createTestDatabase(`${label}_${name}`, 1);
      databases.push(created);
      return created;
    };
    const [pspDb, paymentsDb, ticketingDb] = [
      await database('psp'),
      await database('payments'),
      await database('ticketing'),
    ];
    const topic = (name: string) => createTestTopic(kafka, `${label}_${name}`);
    const topics = {
      TICKETING_EVENTS_TOPIC: await topic('ticketing_events'),
      TICKETING_COMMANDS_TOPIC: await topic('ticketing_commands'),
      TICKETING_REPLIES_TOPIC: await topic('ticketing_replies'),
      PAYMENTS_COMMANDS_TOPIC: await topic('payments_commands'),
    };
    const paymentsEvents = await topic('payments_events');
    const [pspPort, paymentsPort, ticketingPort] = (await freePorts(3)) as [number, number, number];
    const common = {
      LOG_LEVEL: 'error',
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      OUTBOX_WAKEUPS: wakeups,
    };
    children.push(
      forkTs(join(apps, 'psp-simulator/src/main.ts'), [], {
        DATABASE_URL: pspDb.url,
        PORT: String(pspPort),
        LOG_LEVEL: 'error',
        JWT_PUBLIC_KEY: keys.publicKeyPem,
      }),
    );
    await ready(`http://127.0.0.1:${pspPort}`, 'psp-simulator');
    children.push(
      forkTs(join(apps, 'payments/src/main.ts'), [], {
        ...common,
        DATABASE_URL: paymentsDb.url,
        PORT: String(paymentsPort),
        KAFKA_CLIENT_ID: uniqueName('payments'),
        PSP_URL: `http://127.0.0.1:${pspPort}`,
        PAYMENTS_COMMANDS_TOPIC: topics.PAYMENTS_COMMANDS_TOPIC,
        PAYMENTS_EVENTS_TOPIC: paymentsEvents,
        RECONCILE_INTERVAL_MS: '0',
      }),
      forkTs(join(apps, 'ticketing/src/main.ts'), [], {
        ...common,
        ...topics,
        DATABASE_URL: ticketingDb.url,
        PORT: String(ticketingPort),
        REDIS_URL: endpoints.redisUrl,
        REDIS_KEY_PREFIX: redis.prefix,
        KAFKA_CLIENT_ID: uniqueName('ticketing'),
        CHECKOUT_WAIT_MS: '15000',
      }),
    );
    await ready(`http://127.0.0.1:${paymentsPort}`, 'payments');
    await ready(`http://127.0.0.1:${ticketingPort}`, 'ticketing');
    // Until the participants' consumers have joined their groups, the first commands wait.
    await new Promise((r) => setTimeout(r, 3_000));

    const ticketing = `http://127.0.0.1:${ticketingPort}`;
    const times: number[] = [];
    for (let i = 0; i < WARMUP + checkouts; i++) {
      const buyer = `buyer-${i}`;
      const seat = `B-${1 + Math.floor(i / 50)}-${1 + (i % 50)}`;
      const hold = await call(`${ticketing}/holds`, buyer, {
        eventId: SEED_EVENT_ID,
        seatIds: [seat],
      });
      if (hold.status !== 201) throw new Error(`hold ${seat}: ${JSON.stringify(hold.body)}`);
      const started = performance.now();
      const order = await call(
        `${ticketing}/checkouts`,
        buyer,
        { holdId: hold.body['holdId'], paymentSource: 'tok_visa' },
        { 'idempotency-key': randomUUID() },
      );
      const elapsed = performance.now() - started;
      if (order.status !== 201 || order.body['status'] !== 'completed') {
        throw new Error(`checkout ${i}: ${order.status} ${JSON.stringify(order.body)}`);
      }
      if (i >= WARMUP) times.push(elapsed);
    }
    return times;
  } finally {
    await Promise.allSettled(children.map((child) => killAndWait(child, 'SIGTERM')));
    await redis.cleanup();
    await Promise.allSettled(databases.map((database) => database.drop()));
  }
}

async function main(): Promise<void> {
  console.log(`${checkouts} checkouts one at a time per mode, after ${WARMUP} warm-up checkouts`);
  for (const mode of modes) {
    const times = (await measure(mode)).sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `OUTBOX_WAKEUPS=${mode}: p50 ${ms(percentile(times, 50))}, p90 ${ms(percentile(times, 90))}, max ${ms(times[times.length - 1] ?? NaN)}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
