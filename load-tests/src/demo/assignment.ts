// The demo's assignment sections, run side by side: the scheduler's fires across two
// instances, one of them killed, and a crawl by two crawler workers. Each service gets a
// second instance, configured as the stack's; the crawler's is stopped at the end, the
// scheduler's dies in its section.
import { Pool } from 'pg';
import type { GatewayClient } from '../lib/gateway-client';
import type { Replica } from '../lib/stack-replica';
import { runCrawl, type CrawlResult } from './crawl';
import { runScheduledFires, type ScheduledFiresResult } from './scheduled-fires';
import type { AssignmentTarget } from './targets';

export interface AssignmentResult {
  scheduler: ScheduledFiresResult;
  crawl: CrawlResult;
  // Wall time of both sections, the replicas' start included.
  elapsedS: number;
}

// The counts that must be 0, for the demo's exit code.
export function assignmentViolations(r: AssignmentResult): Record<string, number> {
  const v = r.scheduler.report.violations;
  return {
    firesMissed: v.missed,
    firesAppliedTwice: v.appliedTwice,
    firesEarly: v.early,
    firesUnscheduled: v.unscheduled,
    fireStaleOwnerWrites: v.staleOwnerWrites,
    // A create refused is a fire the section could not check.
    jobsRefused: Object.values(r.scheduler.refusedCreates).reduce((a, b) => a + b, 0),
    pagesMissed: r.crawl.verdict.missed,
    pagesFetchedTwice: r.crawl.verdict.duplicates,
    unexpectedFetches: r.crawl.verdict.unexpected,
    hostRateViolations: r.crawl.verdict.rateViolations,
    crawlUnfinished: r.crawl.finished ? 0 : 1,
  };
}

export async function runAssignmentSections(
  target: AssignmentTarget,
  client: GatewayClient,
  // Users' tokens for the jobs, an operator's for the crawl.
  userTokens: readonly string[],
  operatorHeaders: Record<string, string>,
): Promise<AssignmentResult> {
  const started = Date.now();
  const replicas: Replica[] = [];
  const db = new Pool({ connectionString: target.schedulerDatabase, max: 2 });
  try {
    const [scheduler2, crawler2] = await Promise.all([
      target.startReplica('scheduler', 2),
      target.startReplica('crawler', 2),
    ]);
    replicas.push(scheduler2, crawler2);
    // The new members join their groups and take their share of the partitions.
    await new Promise((r) => setTimeout(r, 2_000));
    // One after the other, so that neither competes with the other for the cores: the
    // simulator judges politeness by arrival times taken in its event loop, which a stall
    // on a busy machine bunches together.
    const crawl = await runCrawl(client, {
      webSimulatorUrl: target.webSimulatorUrl,
      hosts: 12,
      pagesPerHost: 25,
      minIntervalMs: 100,
      workers: 2,
      deadlineMs: 40_000,
      operatorHeaders,
    });
    await crawler2.kill('SIGTERM');
    const scheduler = await runScheduledFires(client, {
      oneOff: 200,
      cronJobs: 10,
      leadMs: 4_000,
      spreadMs: 5_000,
      killAfterMs: 6_500,
      // The lease (3 s) and a heartbeat, with a margin for a busy machine.
      takeoverMs: 5_000,
      sinkUrl: target.sinkUrl,
      tokens: userTokens,
      killVictim: () => scheduler2.kill('SIGKILL'),
      db,
    });
    return { scheduler, crawl, elapsedS: (Date.now() - started) / 1000 };
  } finally {
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    await db.end();
  }
}
