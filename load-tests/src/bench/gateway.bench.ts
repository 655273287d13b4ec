// The gateway's cost on the two hot writes, in one run: seat holds and bids, each through the
// gateway and straight to the owning service, on the same stack, seats and tokens. Each
// target is warmed first on requests of its own. With --profile a second gateway, started
// from the same bundle and environment under `node --cpu-prof`, takes the proxied traffic
// and its top frames go into the results file.
// Writes load-tests/results/gateway-proxy-<date>.md.
// Usage: gateway.bench.ts [requests per scenario] [connections] [--profile]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, running, startServices } from '@suite/testing';
import { autocannon, rate, type CannonRequest, type CannonResult } from '../lib/autocannon';
import { GatewayClient } from '../lib/gateway-client';
import { runContext, workspaceRoot, writeResults } from '../lib/results';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const PROFILE = process.argv.includes('--profile');
const REQUESTS = Number(args[0] ?? 2_000);
const CONNECTIONS = Number(args[1] ?? 32);
const WARMUP = 300;
const IDLE_SAMPLE_MS = 5_000;
const USERS = 400;
// Targets: at least 0.8x the service's throughput and at most 2 ms added at p50.
const TARGET_RATIO = 0.8;
const TARGET_ADDED_P50_MS = 2;

interface Measured {
  name: string;
  result: CannonResult;
  // CPU time (user + system) per request, ms, of each process that served it.
  cpuMsPerRequest: Record<string, number>;
}

const TICKS_PER_SECOND = 100;

// A process's CPU time so far (user + system), ms, from /proc.
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; 12 and 13 after the command's ")".
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  console.log('starting the services on empty databases');
  const ports = await startServices(undefined, { fresh: true });
  const stackGateway = `http://127.0.0.1:${ports.gateway}`;
  const gateway = new GatewayClient(stackGateway);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => gateway.token(`gw-bench-${i}`)),
  );
  const seller = await gateway.token('gw-bench-seller');
  const token = (i: number) => tokens[i % USERS] ?? '';
  const events = await gateway.call<{ events: { id: string }[] }>('events', 'GET', '/events', {
    token: token(0),
  });
  const eventId = events.body.events[0]?.id ?? '';
  const needed = 2 * (REQUESTS + WARMUP);
  const seats: string[] = [];
  for (let offset = 0; seats.length < needed; offset += 500) {
    const page = await gateway.call<{ seats: { seatId: string }[] }>(
      'seats',
      'GET',
      `/events/${eventId}/seats?limit=500&offset=${offset}`,
      { token: token(0) },
    );
    if (page.body.seats.length === 0) break;
    seats.push(...page.body.seats.map((s) => s.seatId));
  }
  if (seats.length < needed) throw new Error(`need ${needed} seats, the event has ${seats.length}`);

  const profiled = PROFILE ? await profiledGateway() : undefined;
  const viaGateway = profiled?.url ?? stackGateway;
  const direct = {
    holds: `http://127.0.0.1:${ports.ticketing}`,
    bids: `http://127.0.0.1:${ports.auction}`,
  };

  let seatCursor = 0;
  const takeSeats = (n: number) => seats.slice(seatCursor, (seatCursor += n));
  const holds = (url: string, amount: number) => {
    const mine = takeSeats(amount);
    let next = 0;
    return autocannon({
      url,
      connections: CONNECTIONS,
      amount,
      requests: [
        {
          method: 'POST',
          path: '/holds',
          setupRequest: (request: CannonRequest) => {
            const i = next++;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token(i)}` },
              body: JSON.stringify({ eventId, seatIds: [mine[i % mine.length]] }),
            };
          },
        },
      ],
    });
  };
  const bids = async (url: string, amount: number) => {
    const created = await gateway.call<{ id: string }>('create', 'POST', '/auctions', {
      token: seller,
      body: {
        title: `gateway bench ${url}`,
        reservePrice: 0,
        bidIncrement: 1,
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    let next = 0;
    return autocannon({
      url,
      connections: CONNECTIONS,
      amount,
      requests: [
        {
          method: 'POST',
          path: `/auctions/${created.body.id}/bids`,
          setupRequest: (request: CannonRequest) => {
            const i = next++;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token(i)}` },
              body: JSON.stringify({ amount: 100 + i * 2 }),
            };
          },
        },
      ],
    });
  };

  const pids: Record<string, number> = {
    gateway: profiled?.pid ?? running('gateway')?.pid ?? 0,
    ticketing: running('ticketing')?.pid ?? 0,
    auction: running('auction')?.pid ?? 0,
  };
  // Each process' CPU while idle (timers, pollers, relays), taken out of the per-request
  // figures.
  const idleFrom = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
  const idleMsPerS = Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => [
      k,
      (cpuMs(pid) - (idleFrom[k] ?? 0)) / (IDLE_SAMPLE_MS / 1000),
    ]),
  );
  const measured: Measured[] = [];
  const measure = async (name: string, run: () => Promise<CannonResult>) => {
    console.log(`\n${name}: ${REQUESTS} requests, ${CONNECTIONS} connections`);
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
    const result = await run();
    const done = result['2xx'] + result.non2xx;
    const cpuMsPerRequest = Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [
        k,
        (cpuMs(pid) - (before[k] ?? 0) - (idleMsPerS[k] ?? 0) * result.duration) / done,
      ]),
    );
    console.log(
      `  ${rate(result).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors + result.timeouts}; CPU ms/request ${JSON.stringify(cpuMsPerRequest)}`,
    );
    measured.push({ name, result, cpuMsPerRequest });
    return result;
  };
  let profile: string | undefined;
  try {
    console.log('\nwarming both targets');
    await holds(viaGateway, WARMUP);
    await holds(direct.holds, WARMUP);
    await bids(viaGateway, WARMUP);
    await bids(direct.bids, WARMUP);
    const holdsGateway = await measure('holds through the gateway', () =>
      holds(viaGateway, REQUESTS),
    );
    const holdsDirect = await measure('holds straight to ticketing', () =>
      holds(direct.holds, REQUESTS),
    );
    const bidsGateway = await measure('bids through the gateway', () => bids(viaGateway, REQUESTS));
    const bidsDirect = await measure('bids straight to auction', () => bids(direct.bids, REQUESTS));
    if (profiled) profile = await profiled.stop();
    const verdicts = [
      verdict('holds', holdsGateway, holdsDirect),
      verdict('bids', bidsGateway, bidsDirect),
    ];
    const table = [
      '| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | gateway CPU ms/req | service CPU ms/req |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...measured.map(
        ({ name, result: r, cpuMsPerRequest: cpu }) =>
          `| ${name} | ${rate(r).toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r['2xx']} | ${r.non2xx} | ${r.errors + r.timeouts} | ${(cpu['gateway'] ?? 0).toFixed(2)} | ${(name.includes('bids') ? (cpu['auction'] ?? 0) : (cpu['ticketing'] ?? 0)).toFixed(2)} |`,
      ),
    ].join('\n');
    const file = writeResults(
      'gateway-proxy',
      `# The gateway's cost on holds and bids

${runContext()}
- load: autocannon, ${REQUESTS} requests per scenario after ${WARMUP} warm-up requests per target, ${CONNECTIONS} connections, ${USERS} users; a hold takes one fresh seat, bids rise by 2 on one auction per scenario
- CPU ms/req: user + system time of the process over the scenario (from /proc), less its idle rate measured over ${IDLE_SAMPLE_MS / 1000} s before the scenarios, divided by the requests answered
- through the gateway: JWT check, per-user rate limits in Redis, the proxy to the service (which checks the token again)${profiled ? '; a second gateway from the same bundle and environment, under `node --cpu-prof`' : ''}

${table}

${verdicts.join('\n')}
${profile ? `\n## Where the gateway's time went (its CPU profile over the whole run)\n\n${profile}\n` : ''}
Reproduce: \`npm run bench:gateway\` (after \`npm run infra:up\`); add \`-- 2000 32 --profile\` for the profile.
`,
    );
    console.log(`\n${table}\n\n${verdicts.join('\n')}\n${profile ?? ''}\nwritten to ${file}`);
  } finally {
    if (profiled) await profiled.stop();
  }
}

function verdict(what: string, viaGateway: CannonResult, direct: CannonResult): string {
  const ratio = rate(viaGateway) / Math.max(rate(direct), 0.001);
  const added = viaGateway.latency.p50 - direct.latency.p50;
  const met = ratio >= TARGET_RATIO && added <= TARGET_ADDED_P50_MS;
  return `- ${what}: through the gateway / straight = **${ratio.toFixed(2)}x** (target ≥ ${TARGET_RATIO}x), ${added.toFixed(1)} ms added at p50 (target ≤ ${TARGET_ADDED_P50_MS} ms): ${met ? 'met' : 'not met'}`;
}

// A second gateway from the stack's bundle with the stack gateway's own environment (read
// from /proc), on a port of its own, under the V8 CPU profiler. stop() ends it (SIGTERM: the
// profile is written on a clean exit) and summarises the profile.
async function profiledGateway(): Promise<{
  url: string;
  pid: number;
  stop: () => Promise<string>;
}> {
  const stack = running('gateway');
  if (!stack) throw new Error('the stack has no running gateway to copy');
  const env = Object.fromEntries(
    readFileSync(`/proc/${stack.pid}/environ`, 'utf8')
      .split('\0')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const port = await freePort();
  const metricsPort = await freePort();
  const dir = join(workspaceRoot, '.local/profiles/gateway');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/apps/gateway/main.js'],
    {
      cwd: workspaceRoot,
      env: { ...env, PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null)
      throw new Error(`the profiled gateway exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the profiled gateway was not ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let summary: string | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      if (summary !== undefined) return summary;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      summary = file ? summariseProfile(join(dir, file)) : '(no profile was written)';
      return summary;
    },
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

// Module loading at start-up, left out: the profile spans the process' whole life.
const STARTUP_FRAME = /^(wrapSafe|compileFunction|Module\._compile|Module\._load)$/;

// Self time by function and by package (node_modules/<package>, node's own internals, or
// the gateway's bundle), and time with a package anywhere on the stack (its calls included),
// as shares of the busy samples taken after start-up.
export function summariseProfile(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) node.children?.forEach((c) => parent.set(c, node.id));
  const hits = new Map<number, number>();
  profile.samples.forEach((id) => hits.set(id, (hits.get(id) ?? 0) + 1));
  const byFrame = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const onStack = new Map<string, number>();
  let busy = 0;
  for (const [id, n] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const stackPackages = new Set<string>();
    let startup = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      if (STARTUP_FRAME.test(frame.functionName)) startup = true;
      stackPackages.add(packageOf(frame.url));
    }
    if (startup) continue;
    busy += n;
    const where = packageOf(url);
    const frame = `${functionName || '(anonymous)'} (${where}${url ? `:${lineNumber + 1}` : ''})`;
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + n);
    byPackage.set(where, (byPackage.get(where) ?? 0) + n);
    stackPackages.forEach((p) => onStack.set(p, (onStack.get(p) ?? 0) + n));
  }
  const top = (map: Map<string, number>, count: number, skip: string[] = []) =>
    [...map.entries()]
      .filter(([name]) => !skip.includes(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, n]) => `| ${name} | ${((100 * n) / Math.max(busy, 1)).toFixed(1)}% |`)
      .join('\n');
  return [
    `${busy} busy samples after start-up.`,
    '',
    '| package | self time |',
    '| --- | ---: |',
    top(byPackage, 10),
    '',
    '| package anywhere on the stack (its callees included) | share |',
    '| --- | ---: |',
    top(onStack, 14, ['native / GC', 'node internals']),
    '',
    '| frame | self time |',
    '| --- | ---: |',
    top(byFrame, 15),
  ].join('\n');
}

function packageOf(url: string): string {
  if (url === '') return 'native / GC';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  if (url.includes('dist/apps/gateway')) return 'gateway bundle';
  return url.replace(/^file:\/\//, '');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
