// The gateway's upstream client on its own: an undici Pool (what the gateway uses) against
// node:http with a kept-alive agent (what it used before), each sending the same POST with a
// JSON body and reading the whole answer, to one HTTP server in another process on loopback.
// Measures the client process' CPU per request and the throughput, in alternating rounds in
// one run. Needs no stack. Writes load-tests/results/upstream-client-<date>.md.
// Usage: upstream-client.bench.ts [requests per round] [concurrency] [rounds]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { Pool } from 'undici';
import { runContext, libraryVersion, writeResults } from '../lib/results';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const ROUNDS = Number(process.argv[4] ?? 3);

// The upstream: reads the body, answers 201 with a hold-sized JSON body.
const SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ holdId: '6f1c2b9e-1d2a-4e4b-9b7a-2f7f0c1d9a10', eventId: 'e', seatIds: ['A-1-1'], tokens: { 'A-1-1': 4294967297 }, expiresAt: '2030-01-01T00:00:00.000Z', status: 'active' });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end(answer); });
});
server.keepAliveTimeout = 72000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const BODY = Buffer.from(
  JSON.stringify({ eventId: '00000000-0000-4000-8000-000000000001', seatIds: ['A-1-1'] }),
);
const HEADERS = {
  'content-type': 'application/json',
  authorization: `Bearer ${'x'.repeat(300)}`,
  'x-user-id': 'bench-user',
  'x-user-scopes': 'tickets:buy orders:read',
  'x-request-id': '0f0e0d0c-0b0a-4998-8776-655443322110',
  'x-forwarded-for': '127.0.0.1',
  'x-forwarded-proto': 'http',
};

type Send = () => Promise<number>;

function nodeHttpClient(port: number): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const send: Send = () =>
    new Promise((resolve, reject) => {
      const request = http.request({
        hostname: '127.0.0.1',
        port,
        method: 'POST',
        path: '/holds',
        headers: { ...HEADERS, 'content-length': BODY.length },
        agent,
      });
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve(Buffer.concat(chunks).length));
      });
      request.end(BODY);
    });
  return { send, close: () => agent.destroy() };
}

function undiciClient(port: number): { send: Send; close: () => void } {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 256 });
  const send: Send = async () => {
    const response = await pool.request({
      method: 'POST',
      path: '/holds',
      headers: HEADERS,
      body: BODY,
    });
    return (await response.body.arrayBuffer()).byteLength;
  };
  return { send, close: () => void pool.destroy() };
}

interface Round {
  client: string;
  perSecond: number;
  cpuUsPerRequest: number;
}

async function round(client: string, send: Send): Promise<Round> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        if ((await send()) === 0) throw new Error('empty answer');
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    client,
    perSecond: REQUESTS / seconds,
    cpuUsPerRequest: (used.user + used.system) / REQUESTS,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(server.stdout, 'data')) as [Buffer];
    const port = Number(line.toString().trim());
    const clients = {
      'node:http + keep-alive agent': nodeHttpClient(port),
      'undici Pool': undiciClient(port),
    };
    // Warm both, then alternate so that neither always runs on a cooler machine.
    for (const { send } of Object.values(clients))
      await Promise.all(Array.from({ length: 500 }, send));
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, { send }] of Object.entries(clients)) {
        const result = await round(name, send);
        console.log(
          `${name}: ${result.perSecond.toFixed(0)} req/s, ${result.cpuUsPerRequest.toFixed(1)} µs CPU per request`,
        );
        rounds.push(result);
      }
    }
    Object.values(clients).forEach((c) => c.close());
    const summary = Object.keys(clients).map((name) => {
      const mine = rounds.filter((r) => r.client === name);
      return {
        name,
        perSecond: median(mine.map((r) => r.perSecond)),
        cpu: median(mine.map((r) => r.cpuUsPerRequest)),
      };
    });
    const [baseline, undici] = summary;
    if (!baseline || !undici) throw new Error('a client did not run');
    const table = [
      '| client | requests/s (median of rounds) | client CPU µs per request (median) |',
      '| --- | ---: | ---: |',
      ...summary.map((s) => `| ${s.name} | ${s.perSecond.toFixed(0)} | ${s.cpu.toFixed(1)} |`),
    ].join('\n');
    const verdict = `- undici / node:http: throughput **${(undici.perSecond / baseline.perSecond).toFixed(2)}x**, client CPU per request **${(undici.cpu / baseline.cpu).toFixed(2)}x**`;
    const file = writeResults(
      'upstream-client',
      `# The gateway's upstream client: undici against node:http

${runContext()}
- undici ${libraryVersion('undici')}
- load: ${ROUNDS} rounds of ${REQUESTS} POSTs per client, alternating, ${CONCURRENCY} in flight, after 500 warm-up requests each; a ${BODY.length}-byte JSON body and the gateway's usual forwarded headers; the whole answer read
- upstream: a bare node:http server in another process on loopback, answering 201 with a hold-sized JSON body
- client CPU: user + system time of the benchmark process (process.cpuUsage) over a round, per request; the upstream's CPU is not in it

${table}

${verdict}

Reproduce: \`npm run bench:upstream-client\`.
`,
    );
    console.log(`\n${table}\n\n${verdict}\n\nwritten to ${file}`);
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
