// Checkout under the flash sale (issue 14, item 4): the demo's load through the gateway, timed
// to a terminal answer. Buyers, seats, concurrency, abandon rate and the PSP's decline rate are
// the demo's (2,000 buyers, 500 seats, 64 at a time, 10% walk away, 10% of cards declined).
// Each buyer takes a token, tries to hold 1 to 3 seats (three tries), then checks out; a
// checkout answered 202 is polled every POLL_MS until its order is terminal. Reported:
//   - the checkout POST's latency and status mix (201/200 terminal, 202 still pending);
//   - the time to a terminal answer: from sending the POST to the first answer (the POST's
//     own, or a poll's) that says completed or failed;
//   - the sagas as the database saw them: created to terminal, and each step from its
//     command to its reply (saga_history), so where a checkout spends its time is visible;
//   - every verifier of the demo (no seat sold twice, no money kept without tickets, every
//     saga completed or compensated).
// Not a test: it starts gateway, ticketing, payments, the PSP simulator and auction on empty
// databases (hold the stack lock), stops them at the end, and appends a section to
// load-tests/results/checkout-<date>.md.
//
//   npm run bench:checkout -- [--buyers 2000] [--seats 500] [--concurrency 64] [--label text]
//     [--set ticketing.NAME=value ...]
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCOPES, type ServiceName } from '@suite/contracts';
import {
  ENDPOINTS_FILE,
  parseEndpointsFile,
  stackTokens,
  startServices,
  stopServices,
} from '@suite/testing';
import { GatewayClient } from '../lib/gateway-client';
import { runContext, workspaceRoot, writeResults } from '../lib/results';
import { firstEvent, seatIds } from '../lib/seed-data';
import { percentile } from '../lib/stats';
import { totalOf, verifyRun, withRunDatabases } from '../lib/verify-run';

type ServiceOverrides = Partial<Record<ServiceName, Record<string, string>>>;

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const BUYERS = Number(arg('buyers') ?? 2_000);
const SEATS = Number(arg('seats') ?? 500);
const CONCURRENCY = Number(arg('concurrency') ?? 64);
const LABEL = arg('label') ?? 'run';
const ABANDON_RATE = 0.1;
const DECLINE_RATE = 0.1;
const POLL_MS = 25;
const DEADLINE_MS = 240_000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'compensated', 'needs-attention']);
const SERVICES: ServiceName[] = ['psp-simulator', 'payments', 'ticketing', 'auction', 'gateway'];

// The demo's overrides, then any --set service.NAME=value (to compare settings).
function overrides(): ServiceOverrides {
  const result: ServiceOverrides = {
    ticketing: { HOLD_TTL_MS: '8000', OUTBOX_IDLE_DELAY_MS: '20' },
  };
  process.argv.forEach((value, i) => {
    if (value !== '--set') return;
    const [key, setting] = (process.argv[i + 1] ?? '').split('=', 2);
    const [service, name] = (key ?? '').split('.', 2) as [ServiceName, string];
    if (!SERVICES.includes(service) || !name || setting === undefined) {
      throw new Error(`--set wants service.NAME=value, got ${process.argv[i + 1]}`);
    }
    result[service] = { ...(result[service] ?? {}), [name]: setting };
  });
  return result;
}

interface Checkout {
  postMs: number;
  postStatus: number;
  terminalMs?: number;
  outcome: string;
}

interface OrderBody {
  orderId: string;
  status: string;
}

function pickSeats(pool: readonly string[]): string[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const start = Math.floor(Math.random() * Math.max(1, pool.length - count));
  return pool.slice(start, start + count);
}

async function buyer(
  client: GatewayClient,
  index: number,
  eventId: string,
  pool: readonly string[],
  deadline: number,
): Promise<Checkout | undefined> {
  const token = await client.token(`checkout-buyer-${index}`);
  let holdId: string | undefined;
  for (let attempt = 0; attempt < 3 && !holdId; attempt++) {
    const hold = await client.call<{ holdId: string }>('hold', 'POST', '/holds', {
      token,
      body: { eventId, seatIds: pickSeats(pool) },
    });
    if (hold.status === 201) holdId = hold.body.holdId;
    else if (hold.status !== 409) return undefined;
  }
  if (!holdId || Math.random() < ABANDON_RATE) return undefined;
  const started = performance.now();
  const first = await client.call<OrderBody>('checkout', 'POST', '/checkouts', {
    token,
    idempotencyKey: randomUUID(),
    body: { holdId, paymentSource: 'tok_visa' },
  });
  const checkout: Checkout = { postMs: first.ms, postStatus: first.status, outcome: 'error' };
  if (![200, 201, 202].includes(first.status)) return checkout;
  let status = first.body.status;
  while (!TERMINAL.has(status) && Date.now() < deadline) {
    await sleep(POLL_MS);
    const polled = await client.call<OrderBody>(
      'order.poll',
      'GET',
      `/orders/${first.body.orderId}`,
      {
        token,
      },
    );
    if (polled.status === 200) status = polled.body.status;
  }
  if (TERMINAL.has(status)) checkout.terminalMs = performance.now() - started;
  checkout.outcome = TERMINAL.has(status) ? status : 'pending';
  return checkout;
}

const fmt = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 99).toFixed(0)}`;
};
const tally = (values: string[]) =>
  Object.entries(
    values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {}),
  )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

async function main(): Promise<void> {
  const infra = parseEndpointsFile(readFileSync(join(workspaceRoot, ENDPOINTS_FILE), 'utf8'));
  const settings = overrides();
  console.log(`starting ${SERVICES.join(', ')} on empty databases`);
  const ports = await startServices(SERVICES, { fresh: true, overrides: settings });
  try {
    const faults = await fetch(`http://127.0.0.1:${ports['psp-simulator']}/admin/faults`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(await stackTokens().bearer('bench-operator', [SCOPES.opsAdmin])),
      },
      body: JSON.stringify({ declineRate: DECLINE_RATE }),
    });
    if (!faults.ok) throw new Error(`the PSP's fault switch answered ${faults.status}`);
    const client = new GatewayClient(`http://127.0.0.1:${ports.gateway}`);
    const token = await client.token('checkout-operator');
    const event = await firstEvent(client, token);
    const pool = await seatIds(client, token, event.id, SEATS);

    console.log(`${BUYERS} buyers, ${pool.length} seats, ${CONCURRENCY} at a time`);
    const since = new Date();
    const started = Date.now();
    const deadline = started + DEADLINE_MS;
    const checkouts: Checkout[] = [];
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BUYERS && Date.now() < deadline) {
          const index = next++;
          try {
            const checkout = await buyer(client, index, event.id, pool, deadline);
            if (checkout) checkouts.push(checkout);
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const saleS = (Date.now() - started) / 1000;
    const holds = client.timings.get('hold') ?? [];

    const section = await withRunDatabases(
      {
        ticketing: infra['TICKETING_DATABASE_URL'] ?? '',
        payments: infra['PAYMENTS_DATABASE_URL'] ?? '',
        psp: infra['PSP_SIMULATOR_DATABASE_URL'] ?? '',
        auction: infra['AUCTION_DATABASE_URL'] ?? '',
      },
      async (db) => {
        const verified = await verifyRun(db, {
          kafkaBrokers: (infra['KAFKA_BROKERS'] ?? '').split(','),
          since,
          settleDeadlineMs: 60_000,
          outboxSettleMs: 10_000,
          ticketPriceMinor: event.priceMinor,
        });
        const { rows: sagas } = await db.ticketing.query<{ ms: number }>(
          `select extract(epoch from updated_at - created_at) * 1000 as ms from saga_instances
            where status in ('completed', 'compensated', 'failed')`,
        );
        // Each step's attempt from its command (step-started, written in the transaction that
        // sent it) to the event that applied its reply.
        const { rows: steps } = await db.ticketing.query<{ step: string; ms: number }>(
          `select s.step, extract(epoch from min(e.at) - s.at) * 1000 as ms
             from saga_history s
             join saga_history e on e.saga_id = s.saga_id and e.step = s.step and e.id > s.id
              and e.event in ('step-succeeded', 'step-failed', 'attempt-failed', 'attempt-timed-out', 'step-gave-up')
            where s.event = 'step-started'
            group by s.saga_id, s.step, s.at`,
        );
        const byStep = new Map<string, number[]>();
        for (const r of steps) byStep.set(r.step, [...(byStep.get(r.step) ?? []), Number(r.ms)]);
        const terminal = checkouts.flatMap((c) =>
          c.terminalMs === undefined ? [] : [c.terminalMs],
        );
        const violations = totalOf(verified.violations);
        const nonZero = Object.entries(verified.violations).filter(([, v]) => v !== 0);
        const lines = [
          `## ${LABEL}`,
          '',
          runContext(),
          `- command: \`npm run bench:checkout -- ${process.argv.slice(2).join(' ')}\``,
          `- services: ${SERVICES.join(', ')} (fresh databases); overrides ${JSON.stringify(settings)}`,
          `- sale: ${BUYERS} buyers, ${pool.length} seats, ${CONCURRENCY} at a time, ${saleS.toFixed(1)} s; ${errors} buyers errored`,
          '',
          '| measure | count | p50 / p99 ms |',
          '| --- | ---: | --- |',
          `| hold (POST /holds) | ${holds.length} | ${fmt(holds)} |`,
          `| checkout POST answered | ${checkouts.length} | ${fmt(checkouts.map((c) => c.postMs))} |`,
          `| **checkout to a terminal answer** | ${terminal.length} | **${fmt(terminal)}** |`,
          `| saga created to terminal (database) | ${sagas.length} | ${fmt(sagas.map((r) => Number(r.ms)))} |`,
          ...[...byStep.entries()].map(
            ([step, ms]) =>
              `| step ${step}, command to reply applied | ${ms.length} | ${fmt(ms)} |`,
          ),
          '',
          `- checkout POST statuses: ${tally(checkouts.map((c) => String(c.postStatus)))}`,
          `- outcomes: ${tally(checkouts.map((c) => c.outcome))}`,
          `- sagas: ${JSON.stringify(verified.sagas)}, settled ${verified.settledInS.toFixed(1)} s after the sale`,
          `- seats sold ${verified.seatsSold}, tickets ${verified.tickets}, money balanced: ${verified.balanced}`,
          `- verifiers: ${violations === 0 ? 'all 0' : `${violations} violations: ${JSON.stringify(Object.fromEntries(nonZero))}`}`,
          '',
        ];
        return lines.join('\n');
      },
    );
    console.log(`\n${section}`);
    const file = join(
      workspaceRoot,
      'load-tests/results',
      `checkout-${new Date().toISOString().slice(0, 10)}.md`,
    );
    if (existsSync(file)) appendFileSync(file, `\n${section}`);
    else
      writeResults(
        'checkout',
        `# Checkout under the flash sale, to a terminal answer\n\nReproduce: \`npm run bench:checkout\` (hold the stack lock).\n\n${section}`,
      );
    console.log(`appended to ${file}`);
  } finally {
    await stopServices();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
