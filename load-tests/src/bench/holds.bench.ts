// Seat holds under load (autocannon): through the gateway, straight to ticketing, and a naive
// baseline that takes seats with SELECT ... FOR UPDATE per seat in Postgres. One run measures
// all three on the same machine, each on seats no other scenario touched, and writes
// load-tests/results/holds-<date>.md. Usage: holds.bench.ts [requests per scenario] [connections]
import { join } from 'node:path';
import { Client } from 'pg';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  ENDPOINTS_FILE,
  findWorkspaceRoot,
  forkTs,
  killAndWait,
  nextMessage,
  parseEndpointsFile,
  startServices,
  uniqueName,
} from '@suite/testing';
import { GatewayClient } from '../lib/gateway-client';
import { runContext } from '../lib/results';
import { autocannon, rate, type CannonRequest, type CannonResult } from '../lib/autocannon';

const REQUESTS = Number(process.argv[2] ?? 2_000);
const CONNECTIONS = Number(process.argv[3] ?? 32);
const USERS = 400;

interface Scenario {
  name: string;
  url: string;
  body: (seat: string, user: number) => object;
  headers: (user: number) => Record<string, string>;
}

async function run(scenario: Scenario, seats: string[]): Promise<CannonResult> {
  let next = 0;
  return autocannon({
    url: scenario.url,
    connections: CONNECTIONS,
    amount: REQUESTS,
    requests: [
      {
        method: 'POST',
        path: '/holds',
        setupRequest: (request: CannonRequest) => {
          const i = next++;
          const seat = seats[i % seats.length] ?? '';
          const user = i % USERS;
          return {
            ...request,
            headers: { 'content-type': 'application/json', ...scenario.headers(user) },
            body: JSON.stringify(scenario.body(seat, user)),
          };
        },
      },
    ],
  });
}

async function main(): Promise<void> {
  const root = findWorkspaceRoot(__dirname);
  const infra = parseEndpointsFile(readFileSync(join(root, ENDPOINTS_FILE), 'utf8'));
  console.log('starting the services on empty databases');
  const ports = await startServices(undefined, { fresh: true });
  const gateway = new GatewayClient(`http://127.0.0.1:${ports.gateway}`);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => gateway.token(`bench-${i}`)),
  );
  const auth = (user: number) => ({ authorization: `Bearer ${tokens[user]}` });
  const events = await gateway.call<{ events: { id: string }[] }>('events', 'GET', '/events', {
    token: tokens[0] ?? '',
  });
  const eventId = events.body.events[0]?.id ?? '';
  const seats: string[] = [];
  for (let offset = 0; seats.length < 3 * REQUESTS; offset += 500) {
    const page = await gateway.call<{ seats: { seatId: string }[] }>(
      'seats',
      'GET',
      `/events/${eventId}/seats?limit=500&offset=${offset}`,
      {
        token: tokens[0] ?? '',
      },
    );
    if (page.body.seats.length === 0) break;
    seats.push(...page.body.seats.map((s) => s.seatId));
  }
  if (seats.length < 3 * REQUESTS)
    throw new Error(`need ${3 * REQUESTS} seats, the event has ${seats.length}`);

  // The baseline's own database, with the same seat ids.
  const scratch = uniqueName('naive holds');
  const admin = new Client({ connectionString: infra['DATABASE_URL'] });
  await admin.connect();
  await admin.query(`create database ${scratch}`);
  const scratchUrl = (infra['DATABASE_URL'] ?? '').replace(/\/[^/]*$/, `/${scratch}`);
  const seed = new Client({ connectionString: scratchUrl });
  await seed.connect();
  await seed.query(
    'create table naive_seats (seat_id text primary key, held_by text, held_until timestamptz)',
  );
  await seed.query('insert into naive_seats (seat_id) select unnest($1::text[])', [seats]);
  await seed.end();
  const naive = forkTs(join(__dirname, 'naive-holds.server.ts'), [scratchUrl]);
  const { port: naivePort } = await nextMessage<{ port: number }>(naive);

  const scenarios: Scenario[] = [
    {
      name: 'through the gateway',
      url: `http://127.0.0.1:${ports.gateway}`,
      body: (seat) => ({ eventId, seatIds: [seat] }),
      headers: auth,
    },
    {
      name: 'straight to ticketing',
      url: `http://127.0.0.1:${ports.ticketing}`,
      body: (seat) => ({ eventId, seatIds: [seat] }),
      headers: auth,
    },
    {
      name: 'naive SELECT FOR UPDATE',
      url: `http://127.0.0.1:${naivePort}`,
      body: (seat, user) => ({ seatIds: [seat], userId: `bench-${user}` }),
      headers: () => ({}),
    },
  ];
  const results: { name: string; result: CannonResult }[] = [];
  try {
    for (const [i, scenario] of scenarios.entries()) {
      console.log(`\n${scenario.name}: ${REQUESTS} holds, ${CONNECTIONS} connections`);
      const result = await run(scenario, seats.slice(i * REQUESTS, (i + 1) * REQUESTS));
      console.log(
        `  ${rate(result).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, 2xx ${result['2xx']}, non-2xx ${result.non2xx}`,
      );
      results.push({ name: scenario.name, result });
    }
  } finally {
    await killAndWait(naive);
    await admin.query(`drop database if exists ${scratch} with (force)`);
    await admin.end();
  }

  const [viaGateway, direct, baseline] = results.map((r) => r.result);
  if (!viaGateway || !direct || !baseline) throw new Error('a scenario did not run');
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
  const table = [
    '| scenario | holds/s | p50 ms | p99 ms | 2xx | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ name, result: r }) =>
        `| ${name} | ${rate(r).toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r['2xx']} | ${r.non2xx} | ${r.errors + r.timeouts} |`,
    ),
  ].join('\n');
  const text = `# Seat holds under load: gateway vs ticketing vs a naive Postgres lock

${runContext()}
- load: autocannon, ${REQUESTS} hold requests per scenario, ${CONNECTIONS} connections, one seat per hold, every seat fresh, ${USERS} users
- the fenced hold: FencedHolds in Redis (one Lua round trip) plus the hold row, its fence rows and a HoldPlaced outbox row in Postgres
- the naive baseline: one Postgres transaction per hold, SELECT ... FOR UPDATE on each seat row, in a separate Fastify process

${table}

- gateway overhead: throughput through the gateway / straight to ticketing = **${ratio(rate(viaGateway), rate(direct))}**, p99 ${ratio(viaGateway.latency.p99, direct.latency.p99)} of ticketing's
- ticketing / naive baseline: throughput **${ratio(rate(direct), rate(baseline))}**, p99 ${ratio(direct.latency.p99, baseline.latency.p99)} of the baseline's

Reproduce: \`npm run bench:holds\` (after \`npm run infra:up\`).
`;
  const file = join(
    root,
    'load-tests/results',
    `holds-${new Date().toISOString().slice(0, 10)}.md`,
  );
  writeFileSync(file, text);
  console.log(`\n${table}\n\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
