// Bids under load (autocannon): through the gateway and straight to the auction service, on
// one hot auction, with amounts that keep rising so most bids are real contenders. Every bid
// is decided (accepted or refused as too low); the ratio is the gateway's overhead.
// Writes load-tests/results/bids-<date>.md. Usage: bids.bench.ts [bids per scenario] [connections]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot, startServices } from '@suite/testing';
import { GatewayClient } from '../lib/gateway-client';
import { runContext } from '../lib/results';
import { autocannon, rate, type CannonRequest, type CannonResult } from '../lib/autocannon';

const BIDS = Number(process.argv[2] ?? 2_000);
const CONNECTIONS = Number(process.argv[3] ?? 32);
const USERS = 400;

async function main(): Promise<void> {
  const root = findWorkspaceRoot(__dirname);
  console.log('starting the services on empty databases');
  const ports = await startServices(undefined, { fresh: true });
  const gateway = new GatewayClient(`http://127.0.0.1:${ports.gateway}`);
  const seller = await gateway.token('bench-seller');
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => gateway.token(`bench-bidder-${i}`)),
  );

  const results: { name: string; result: CannonResult }[] = [];
  for (const [name, base] of [
    ['through the gateway', `http://127.0.0.1:${ports.gateway}`],
    ['straight to auction', `http://127.0.0.1:${ports.auction}`],
  ] as const) {
    const created = await gateway.call<{ id: string }>('create', 'POST', '/auctions', {
      token: seller,
      body: {
        title: `bench ${name}`,
        reservePrice: 0,
        bidIncrement: 1,
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    let next = 0;
    console.log(`\n${name}: ${BIDS} bids, ${CONNECTIONS} connections`);
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      amount: BIDS,
      requests: [
        {
          method: 'POST',
          path: `/auctions/${created.body.id}/bids`,
          setupRequest: (request: CannonRequest) => {
            const i = next++;
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokens[i % USERS]}`,
              },
              body: JSON.stringify({ amount: 100 + i * 2 }),
            };
          },
        },
      ],
    });
    console.log(
      `  ${rate(result).toFixed(0)} bids/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, 2xx ${result['2xx']}, non-2xx ${result.non2xx}`,
    );
    results.push({ name, result });
  }
  const [viaGateway, direct] = results.map((r) => r.result);
  if (!viaGateway || !direct) throw new Error('a scenario did not run');
  const table = [
    '| scenario | decisions/s | p50 ms | p99 ms | accepted (2xx) | refused (non-2xx) | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ name, result: r }) =>
        `| ${name} | ${rate(r).toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r['2xx']} | ${r.non2xx} | ${r.errors + r.timeouts} |`,
    ),
  ].join('\n');
  const text = `# Bids under load: through the gateway vs straight to the auction service

${runContext()}
- load: autocannon, ${BIDS} bids per scenario on one auction, ${CONNECTIONS} connections, ${USERS} bidders, amounts rising by 2 per request (increment 1): refusals are bids overtaken by a concurrent higher one
- each bid: one Postgres round trip deciding it under the auction's row lock

${table}

- gateway overhead: decisions/s through the gateway / straight to auction = **${(rate(viaGateway) / rate(direct)).toFixed(2)}x**, p99 ${(viaGateway.latency.p99 / Math.max(1, direct.latency.p99)).toFixed(2)}x of auction's

Reproduce: \`npm run bench:bids\` (after \`npm run infra:up\`).
`;
  const file = join(root, 'load-tests/results', `bids-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(file, text);
  console.log(`\n${table}\n\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
