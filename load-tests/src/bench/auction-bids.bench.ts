// Bid throughput and latency of POST /auctions/:id/bids, straight to the service (no
// gateway): the atomic bid (row-locked SQL function) against the naive read-then-write, both
// the real auction service started as a child process, measured in the same run on one hot
// auction and spread over 50. Not a test: it prints the table and writes
// load-tests/results/auction-bids-<date>.md.
//   npm run bench:auction -- [seconds] [concurrency] [rounds]
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { DevTokenSigner, generateEs256KeyPair } from '@suite/service-kit';
import { Client } from 'pg';
import { endpoint, runContext, writeResults } from '../lib/results';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process';
import { percentile } from '../lib/stats';

const seconds = Number(process.argv[2] ?? 4);
const concurrency = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);
const adminUrl = endpoint('DATABASE_URL');

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql);
  await client.end();
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(
  port: number,
  path: string,
  authorization: string,
  body: object,
): Promise<{ status: number; body: string }> {
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
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Target {
  name: string;
  port: number;
  service: ServiceProcess;
  dbName: string;
}

// The service as it ships its configuration: environment variables, its own database.
async function boot(name: string, mode: 'atomic' | 'naive', publicKeyPem: string): Promise<Target> {
  const dbName = `bench_bids_${name}_${randomBytes(3).toString('hex')}`;
  await admin(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const service = await startServiceProcess('auction', {
    DATABASE_URL: url.toString(),
    REDIS_URL: endpoint('REDIS_URL'),
    KAFKA_BROKERS: endpoint('KAFKA_BROKERS'),
    JWT_PUBLIC_KEY: publicKeyPem,
    LOG_LEVEL: 'fatal',
    BID_MODE: mode,
    CLOSER: 'off',
    OUTBOX_RELAY: 'off',
    DATABASE_POOL_SIZE: '20',
  });
  return { name, port: service.port, service, dbName };
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
      const response = await post(t.port, '/auctions', seller, {
        title: `bench ${i}`,
        reservePrice: 0,
        bidIncrement: 1,
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      if (response.status !== 201) throw new Error(`creating an auction: ${response.status}`);
      ids.push((JSON.parse(response.body) as { id: string }).id);
    }
    return ids;
  };

  // Each request bids one more than the last amount handed out for its auction, so most bids
  // would win in issue order; concurrent ones overtake each other and come back too low. The
  // amounts carry on across the warm-up and the rounds: starting again from 1 would measure
  // little but refusals.
  const nextAmount = new Map<string, number>();
  const measure = async (t: Target, ids: string[], ms: number) => {
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
          const { status } = await post(t.port, `/auctions/${id}/bids`, tokens[w + 1] ?? '', {
            amount,
          });
          latencies.push(performance.now() - start);
          if (status === 201) accepted++;
          else if (status !== 409) throw new Error(`unexpected status ${status}`);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      rate: latencies.length / (ms / 1000),
      acceptedShare: accepted / latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
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
  const lines = [
    `bids: ${seconds} s x ${rounds} rounds per variant, concurrency ${concurrency}, one auction service process per variant`,
    '',
    '| scenario | variant | bids/s (mean) | per round | accepted | p50 ms | p99 ms (median of rounds) |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  const ratios: string[] = [];
  for (const [scenario, rows] of Object.entries(results)) {
    for (const [name, row] of Object.entries(rows)) {
      lines.push(
        `| ${scenario} | ${name} | ${mean(row.rate).toFixed(0)} | ${row.rate.map((x) => x.toFixed(0)).join(', ')} | ${(mean(row.accepted) * 100).toFixed(0)}% | ${median(row.p50).toFixed(2)} | ${median(row.p99).toFixed(2)} |`,
      );
    }
    const atomic = rows['atomic'];
    const naive = rows['naive'];
    if (atomic && naive) {
      const perRound = atomic.rate.map((x, i) => x / (naive.rate[i] ?? 1));
      ratios.push(
        `- ${scenario}: atomic / naive = ${(mean(atomic.rate) / mean(naive.rate)).toFixed(2)}x of means, median per-round ${median(perRound).toFixed(2)}x`,
      );
    }
  }
  lines.push('', ...ratios);
  console.log(lines.join('\n'));
  const report = [
    '# Auction bids: the atomic bid vs the naive read-then-write, straight to the service',
    '',
    runContext(),
    '',
    ...lines,
    '',
    `Reproduce: \`npm run bench:auction -- ${seconds} ${concurrency} ${rounds}\``,
  ].join('\n');
  console.log(`written ${writeResults('auction-bids', report)}`);

  for (const t of targets) {
    await t.service.stop();
    await admin(`drop database if exists ${t.dbName} with (force)`);
  }
  agent.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
