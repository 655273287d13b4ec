// Investigation harness (not a test): crawls of the demo's shape (12 hosts x 25 pages, a
// 100 ms interval, a second worker joining as the crawl starts) while bounded CPU burners
// compete for the cores, with every request traced on both sides: the crawler's admission
// and send times and the simulator's arrival stamp and event-loop stall. For each pair of
// arrivals at one host closer than the interval it prints who sent them and how far apart
// they left the crawlers, which tells a crawler fault from a simulator stall.
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register \
//     apps/crawler/src/testing/politeness-trace.ts [rounds] [burners]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrawlStack } from './crawl-stack';

interface Sent {
  member: string;
  url: string;
  admittedAtMs: number;
  sentAtMs: number;
}
interface Arrival {
  host: string;
  path: string;
  atMs: number;
  stallMs: number;
}

const MIN_INTERVAL_MS = 100;

function lines<T>(file: string): T[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

function burn(seconds: number): ChildProcess {
  const code = `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const rounds = Math.min(Number(process.argv[2] ?? 3), 10);
  const burners = Math.min(Number(process.argv[3] ?? 2), 4);
  const dir = mkdtempSync(join(tmpdir(), 'politeness-'));
  const arrivalsFile = join(dir, 'arrivals.jsonl');
  const sentFile = join(dir, 'sent.jsonl');
  const stack = new CrawlStack({
    label: 'politeness_trace',
    web: { hosts: 12, pagesPerHost: 25, minIntervalMs: MIN_INTERVAL_MS },
    crawlerEnv: { CRAWLER_TRACE_FILE: sentFile },
    simulatorEnv: { WEB_ARRIVALS_FILE: arrivalsFile },
  });
  await stack.start();
  let certain = 0;
  let stalled = 0;
  try {
    for (let round = 1; round <= rounds; round += 1) {
      for (const worker of stack.live()) worker.process.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1_000));
      await stack.resetWeb();
      const since = Date.now();
      await stack.addWorker();
      const fires = Array.from({ length: burners }, () => burn(25));
      await stack.addWorker();
      const started = await stack.startCrawl({ minIntervalMs: MIN_INTERVAL_MS });
      const crawl = await stack.waitFinished(started.id, 60_000);
      for (const fire of fires) fire.kill('SIGKILL');
      const verdict = await stack.verdict();
      certain += verdict.rateViolations;
      stalled += verdict.gapsWithinSimulatorStall;
      console.log(
        `round ${round}: ${crawl.status}, ${verdict.requests} requests, violations ${verdict.rateViolations}, within the simulator's stall ${verdict.gapsWithinSimulatorStall}, smallest gap ${verdict.smallestGapMs?.toFixed(1)} ms`,
      );
      await new Promise((r) => setTimeout(r, 300));
      report(
        lines<Arrival>(arrivalsFile).filter((a) => a.atMs >= since),
        lines<Sent>(sentFile).filter((s) => s.sentAtMs >= since),
      );
    }
  } finally {
    await stack.stop();
  }
  console.log(`total: violations ${certain}, within the simulator's stall ${stalled}`);
}

function report(arrivals: Arrival[], sent: Sent[]): void {
  const bySent = new Map<string, Sent>();
  for (const s of sent) {
    const url = new URL(s.url);
    bySent.set(`${url.hostname}${url.pathname}`, s);
  }
  const last = new Map<string, Arrival>();
  for (const a of [...arrivals].sort((x, y) => x.atMs - y.atMs)) {
    const before = last.get(a.host);
    last.set(a.host, a);
    if (!before || a.atMs - before.atMs >= MIN_INTERVAL_MS) continue;
    const s1 = bySent.get(`${before.host}${before.path}`);
    const s2 = bySent.get(`${a.host}${a.path}`);
    const sentGap = s1 && s2 ? (s2.sentAtMs - s1.sentAtMs).toFixed(1) : '?';
    const admittedGap = s1 && s2 ? (s2.admittedAtMs - s1.admittedAtMs).toFixed(1) : '?';
    const lag1 = s1 ? (s1.sentAtMs - s1.admittedAtMs).toFixed(1) : '?';
    console.log(
      `  ${a.host}: arrivals ${(a.atMs - before.atMs).toFixed(1)} ms apart (stalls ${before.stallMs.toFixed(1)}/${a.stallMs.toFixed(1)}); ` +
        `sent ${sentGap} ms apart by ${s1?.member ?? '?'} then ${s2?.member ?? '?'}; admitted ${admittedGap} ms apart; first left ${lag1} ms after its admission`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
