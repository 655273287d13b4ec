// The demo's scheduler section: one-off jobs due within a few seconds and cron jobs firing
// every second, created through the API, fired by two scheduler instances to the loopback
// sink, with one instance killed (SIGKILL) while fires are due. Its partitions move to the
// survivor within the lease, so its fires arrive late but not lost. The scheduler's verifier
// (libs/invariants/src/scheduler.ts) then counts what must never happen to a fire.
import type { Pool } from 'pg';
import { verifySchedulerInvariants, type SchedulerInvariantReport } from '@suite/invariants';
import type { GatewayClient } from '../lib/gateway-client';
import { percentile } from '../lib/stats';

export interface ScheduledFiresOptions {
  oneOff: number;
  cronJobs: number;
  // The one-off jobs fall due evenly over this window, starting `leadMs` after creation.
  leadMs: number;
  spreadMs: number;
  // When the victim is killed, from the start of creation.
  killAfterMs: number;
  // Time for the survivor to take the victim's partitions over and deliver: the lease
  // and a margin.
  takeoverMs: number;
  // Where the jobs deliver: the scheduler's own loopback sink.
  sinkUrl: string;
  // Callers' tokens: the gateway limits how many jobs one user creates a minute, so the jobs
  // are spread over several users, each cancelling its own.
  tokens: readonly string[];
  // Kills the second instance (SIGKILL).
  killVictim(): Promise<void>;
  db: Pool;
}

export interface ScheduledFiresResult {
  instances: number;
  oneOff: number;
  cronJobs: number;
  refusedCreates: Record<string, number>;
  killedAfterS: number;
  // The verifier's horizon: fires scheduled up to here must have been applied.
  horizonS: number;
  // Fires due up to the verifier's horizon, distinct fires applied, deliveries received.
  report: SchedulerInvariantReport;
  // Fires recorded delivered, per instance (member id).
  deliveredBy: Record<string, number>;
  lag: { p50: number; p99: number; max: number };
}

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

export async function runScheduledFires(
  client: GatewayClient,
  o: ScheduledFiresOptions,
): Promise<ScheduledFiresResult> {
  const started = Date.now();
  const firstDue = started + o.leadMs;
  const lastDue = firstDue + o.spreadMs;
  const ids: string[] = [];
  const cronJobs: { id: string; token: string }[] = [];
  const refused: Record<string, number> = {};
  const plan = [
    ...Array.from({ length: o.cronJobs }, (_, i) => ({ i, cron: true })),
    ...Array.from({ length: o.oneOff }, (_, i) => ({ i, cron: false })),
  ].map((job, n) => ({ ...job, token: o.tokens[n % o.tokens.length] ?? '' }));
  await pool(plan, 16, async ({ i, cron, token }) => {
    const body = cron
      ? { cron: '* * * * * *', callbackUrl: o.sinkUrl, payload: { demo: 'cron', i } }
      : {
          runAt: new Date(firstDue + Math.round((i * o.spreadMs) / Math.max(1, o.oneOff - 1))),
          callbackUrl: o.sinkUrl,
          payload: { demo: 'once', i },
        };
    const res = await client.call<{ id: string }>('jobs.create', 'POST', '/jobs', { token, body });
    if (res.status !== 201) refused[String(res.status)] = (refused[String(res.status)] ?? 0) + 1;
    else if (cron) cronJobs.push({ id: res.body.id, token });
    else ids.push(res.body.id);
  });

  await sleepUntil(started + o.killAfterMs);
  const killedAt = Date.now();
  await o.killVictim();

  // Every fire due up to the last one-off's time must have been applied once the survivor
  // has taken over; the cron jobs are cancelled after that horizon.
  await sleepUntil(Math.max(lastDue, killedAt) + o.takeoverMs);
  const until = Math.max(lastDue, killedAt);
  await pool(cronJobs, 4, async ({ id, token }) => {
    await client.call('jobs.cancel', 'POST', `/jobs/${id}/cancel`, { token });
  });
  const cronIds = cronJobs.map((j) => j.id);
  const jobIds = [...ids, ...cronIds];
  let report = await verifySchedulerInvariants(o.db, { until, jobIds });
  for (let i = 0; i < 25 && report.violations.missed > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    report = await verifySchedulerInvariants(o.db, { until, jobIds });
  }
  const { rows: lags } = await o.db.query<{ lag: number }>(
    `select (extract(epoch from first_at - scheduled_at) * 1000)::float8 as lag
       from sink_deliveries
      where job_id = any($1::text[]) and scheduled_at <= to_timestamp($2::float8 / 1000)
      order by 1`,
    [jobIds, until],
  );
  const sorted = lags.map((r) => Number(r.lag));
  const { rows: by } = await o.db.query<{ member: string; n: number }>(
    `select delivered_by as member, count(*)::int as n from fires
      where status = 'delivered' and job_id = any($1::uuid[]) group by 1 order by 1`,
    [jobIds],
  );
  return {
    instances: 2,
    oneOff: ids.length,
    cronJobs: cronIds.length,
    refusedCreates: refused,
    killedAfterS: (killedAt - started) / 1000,
    horizonS: (until - started) / 1000,
    report,
    deliveredBy: Object.fromEntries(by.map((r) => [r.member, r.n])),
    lag: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
  };
}
