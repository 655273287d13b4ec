// Bid throughput and latency of POST /auctions/:id/bids, straight to the service (no
// gateway yet): the atomic bid (row-locked SQL function) against the naive read-then-write
// measured in the same run, on one hot auction and spread over 50. Not a test. From the root:
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/auction/bench/bids.bench.ts [seconds] [concurrency] [rounds]
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DevTokenSigner,
  generateEs256KeyPair,
  initServiceApp,
  loadConfig,
} from '@suite/service-kit';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { auctionConfigSchema } from '../src/config/auction.config';

const root = join(__dirname, '../../..');
const seconds = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);

const endpoints = Object.fromEntries(
  readFileSync(join(root, '.local/endpoints.env'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('=') && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
);
const adminUrl = endpoints['DATABASE_URL'] ?? '';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql);
  await client.end();
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(port: number, path: string, authorization: string, body: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Target {
  name: string;
  port: number;
  app: NestFastifyApplication;
  dbName: string;
}

async function boot(name: string, mode: 'atomic' | 'naive', publicKeyPem: string): Promise<Target> {
  const dbName = `bench_bids_${name}_${randomBytes(3).toString('hex')}`;
  await admin(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const config = loadConfig(
    auctionConfigSchema,
    {
      DATABASE_URL: url.toString(),
      REDIS_URL: endpoints['REDIS_URL'],
      KAFKA_BROKERS: endpoints['KAFKA_BROKERS'],
      JWT_PUBLIC_KEY: publicKeyPem,
      LOG_LEVEL: 'fatal',
      BID_MODE: mode,
      CLOSER: 'off',
      OUTBOX_RELAY: 'off',
      DATABASE_POOL_SIZE: '20',
    },
    'auction',
  );
  const app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(await app.getUrl()).port);
  return { name, port, app, dbName };
}

async function main(): Promise<void> {
  const { publicKeyPem, privateKeyPem } = generateEs256KeyPair();
  const signer = new DevTokenSigner({
    privateKeyPem,
    issuer: 'suite',
    audience: 'suite',
    ttlSeconds: 3600,
  });
  const tokens = await Promise.all(
    Array.from(
      { length: concurrency + 1 },
      async (_, i) => `Bearer ${await signer.sign({ userId: i === 0 ? 'seller' : `bidder-${i}` })}`,
    ),
  );
  const seller = tokens[0] ?? '';
  const targets = [
    await boot('atomic', 'atomic', publicKeyPem),
    await boot('naive', 'naive', publicKeyPem),
  ];

  const createAuctions = async (t: Target, n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auctions',
        headers: { authorization: seller },
        payload: {
          title: `bench ${i}`,
          reservePrice: 0,
          bidIncrement: 1,
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      ids.push((response.json() as { id: string }).id);
    }
    return ids;
  };

  // Each request bids one more than the last amount handed out for its auction, so most bids
  // would win in issue order; concurrent ones overtake each other and come back too low.
  const measure = async (t: Target, ids: string[], ms: number) => {
    const nextAmount = new Map(ids.map((id) => [id, 1]));
    const latencies: number[] = [];
    let accepted = 0;
    const deadline = performance.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        let i = w;
        while (performance.now() < deadline) {
          const id = ids[i++ % ids.length] ?? '';
          const amount = nextAmount.get(id) ?? 1;
          nextAmount.set(id, amount + 1);
          const start = performance.now();
          const status = await post(t.port, `/auctions/${id}/bids`, tokens[w + 1] ?? '', {
            amount,
          });
          latencies.push(performance.now() - start);
          if (status === 201) accepted++;
          else if (status !== 409) throw new Error(`unexpected status ${status}`);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      rate: latencies.length / (ms / 1000),
      acceptedShare: accepted / latencies.length,
      p50: at(0.5),
      p99: at(0.99),
    };
  };

  const scenarios = { 'one hot auction': 1, '50 auctions': 50 };
  type Row = { rate: number[]; accepted: number[]; p50: number[]; p99: number[] };
  const results: Record<string, Record<string, Row>> = {};
  for (const [scenario, n] of Object.entries(scenarios)) {
    const idsOf = new Map<string, string[]>();
    for (const t of targets) idsOf.set(t.name, await createAuctions(t, n));
    for (const t of targets) await measure(t, idsOf.get(t.name) ?? [], 1_000); // warm-up
    results[scenario] = {};
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) {
        const m = await measure(t, idsOf.get(t.name) ?? [], seconds * 1000);
        const row = (results[scenario][t.name] ??= { rate: [], accepted: [], p50: [], p99: [] });
        row.rate.push(m.rate);
        row.accepted.push(m.acceptedShare);
        row.p50.push(m.p50);
        row.p99.push(m.p99);
      }
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(`\nbids: ${seconds} s x ${rounds} rounds, concurrency ${concurrency}\n`);
  console.log(
    '| scenario | variant | bids/s (mean) | per round | accepted | p50 ms | p99 ms (median of rounds) |',
  );
  console.log('| --- | --- | ---: | --- | ---: | ---: | ---: |');
  for (const [scenario, rows] of Object.entries(results)) {
    for (const [name, row] of Object.entries(rows)) {
      console.log(
        `| ${scenario} | ${name} | ${mean(row.rate).toFixed(0)} | ${row.rate.map((x) => x.toFixed(0)).join(', ')} | ${(mean(row.accepted) * 100).toFixed(0)}% | ${median(row.p50).toFixed(2)} | ${median(row.p99).toFixed(2)} |`,
      );
    }
    const atomic = rows['atomic'];
    const naive = rows['naive'];
    if (atomic && naive) {
      const perRound = atomic.rate.map((x, i) => x / (naive.rate[i] ?? 1));
      console.log(
        `\n${scenario}: atomic / naive = ${(mean(atomic.rate) / mean(naive.rate)).toFixed(2)}x of means, median per-round ${median(perRound).toFixed(2)}x\n`,
      );
    }
  }

  for (const t of targets) {
    await t.app.close();
    await admin(`drop database if exists ${t.dbName} with (force)`);
  }
  agent.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
