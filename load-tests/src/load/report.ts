// A run's report: the JSON a later HTML page reads (load-tests/results/runs/), and the
// terminal summary. Both come from one object.
import type { MemorySeries } from '../report/memory-sampler';
import type { LatencyStats } from './histogram';
import type { RunResult } from './engine';
import type { Recorder, RequestStats, SecondBucket, StageStats } from './recorder';
import type { LoadModel } from './stages';
import type { ThresholdResult } from './thresholds';

export interface RunReport {
  scenario: string;
  description: string;
  target: string;
  startedAt: string;
  durationS: number;
  load: LoadModel;
  totals: {
    scheduled: number;
    sent: number;
    dropped: number;
    completed: number;
    cutOff: number;
    requests: number;
    errors: number;
    errorRate: number;
  };
  // How late iterations started against their schedule: the generator's own health.
  sendLag: LatencyStats;
  latency: LatencyStats;
  requests: (RequestStats & { ratePerS: number })[];
  stages: StageStats[];
  perSecond: SecondBucket[];
  outcomes: Record<string, number>;
  iterationErrors: Record<string, number>;
  thresholds: ThresholdResult[];
  verifiers: { ran: boolean; violations: Record<string, number | null>; details?: unknown };
  passed: boolean;
  // Each service's memory, seconds from the run's start (the native stack's services only).
  memory?: MemorySeries[];
  // Windows in which a fault was injected, seconds from the run's start.
  faults?: FaultWindow[];
}

export interface FaultWindow {
  name: string;
  atS: number;
  forS: number;
  // A chaos run's measurements: requests and errors from the fault's start to its recovery,
  // seconds from the healing until the error rate is back at its level before the fault and
  // stays there (null: not before the traffic or the next fault; see chaos/fault-outcome.ts),
  // the verifiers after the run, and a failure to inject or heal.
  requests?: number;
  errors?: number;
  recoveredAfterS?: number | null;
  verifiersAtZero?: boolean;
  error?: string;
}

export function buildReport(input: {
  scenario: string;
  description: string;
  target: string;
  startedAt: Date;
  load: LoadModel;
  result: RunResult;
  thresholds: ThresholdResult[];
  verifiers: RunReport['verifiers'];
  memory?: MemorySeries[];
  faults?: FaultWindow[];
}): RunReport {
  const { recorder } = input.result;
  const seconds = recorder.perSecond();
  const sum = (pick: (s: SecondBucket) => number) => seconds.reduce((n, s) => n + pick(s), 0);
  const durationS = (input.result.endMs - input.result.startMs) / 1000;
  const requests = sum((s) => s.requests);
  const errors = sum((s) => s.errors);
  return {
    scenario: input.scenario,
    description: input.description,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationS,
    load: input.load,
    totals: {
      scheduled: sum((s) => s.scheduled),
      sent: sum((s) => s.sent),
      dropped: sum((s) => s.dropped),
      completed: sum((s) => s.completed),
      cutOff: input.result.cutOff,
      requests,
      errors,
      errorRate: requests ? errors / requests : 0,
    },
    sendLag: recorder.sendLagStats(),
    latency: recorder.allRequests(),
    requests: recorder
      .perRequest()
      .map((r) => ({ ...r, ratePerS: durationS ? r.latency.count / durationS : 0 })),
    stages: recorder.perStage(input.result.windows),
    perSecond: seconds,
    outcomes: recorder.outcomes,
    iterationErrors: recorder.iterationErrors,
    thresholds: input.thresholds,
    verifiers: input.verifiers,
    passed: input.thresholds.every((t) => t.passed),
    ...(input.memory ? { memory: input.memory } : {}),
    ...(input.faults ? { faults: input.faults } : {}),
  };
}

const ms = (n: number) => n.toFixed(1).padStart(8);
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

// One line every few seconds while the run goes: the last few seconds' rates, p99, errors.
export function progressLine(recorder: Recorder, elapsedMs: number, windowS: number): string {
  const recent = recorder.recent(recorder.startedAtMs + elapsedMs, windowS);
  const n = Math.max(1, recent.length);
  const sum = (pick: (s: SecondBucket) => number) => recent.reduce((t, s) => t + pick(s), 0);
  const p99 = Math.max(0, ...recent.map((s) => s.latency.p99));
  return [
    `  ${(elapsedMs / 1000).toFixed(0).padStart(4)} s`,
    `rate ${(sum((s) => s.sent) / n).toFixed(1)}/${(sum((s) => s.scheduled) / n).toFixed(1)} per s (achieved/requested)`,
    `p99 ${p99.toFixed(0)} ms`,
    `errors ${sum((s) => s.errors)}`,
    `dropped ${sum((s) => s.dropped)}`,
    `in flight ${recorder.inFlight}`,
  ].join('  ');
}

export function formatReport(r: RunReport): string {
  const lines = [
    '',
    `================ load run: ${r.scenario} (${r.target}) ================`,
    `${r.description}`,
    `${r.durationS.toFixed(1)} s; iterations ${r.totals.scheduled} scheduled, ${r.totals.sent} started, ${r.totals.dropped} dropped at the in-flight bound, ${r.totals.completed} finished, ${r.totals.cutOff} cut off at the end`,
    `send lag (start against schedule)  p50 ${r.sendLag.p50.toFixed(1)} ms  p99 ${r.sendLag.p99.toFixed(1)} ms  max ${r.sendLag.maxMs.toFixed(1)} ms`,
    '',
    'request                          count    rate/s      p50      p95      p99      max  errors',
    ...r.requests.map(
      (q) =>
        `  ${q.name.padEnd(28)} ${String(q.latency.count).padStart(7)} ${q.ratePerS.toFixed(1).padStart(9)} ${ms(q.latency.p50)} ${ms(q.latency.p95)} ${ms(q.latency.p99)} ${ms(q.latency.maxMs)}  ${q.errors}${q.errors ? ` (${counts(q.errorsByKind)})` : ''}`,
    ),
    `  ${'all'.padEnd(28)} ${String(r.latency.count).padStart(7)} ${(r.durationS ? r.latency.count / r.durationS : 0).toFixed(1).padStart(9)} ${ms(r.latency.p50)} ${ms(r.latency.p95)} ${ms(r.latency.p99)} ${ms(r.latency.maxMs)}  ${r.totals.errors} (rate ${(r.totals.errorRate * 100).toFixed(2)}%)`,
    '(latency in ms, counted from when each request was meant to start)',
    '',
    ...(r.load.model === 'open'
      ? [
          'stage   rate asked (/s)   duration   requested/s   achieved/s   completed/s   dropped   achieved   p50 ms   p99 ms',
          ...r.stages.map(
            (s) =>
              `  ${String(s.index + 1).padEnd(5)} ${(s.from === s.to ? `${+s.from.toFixed(2)}` : `${+s.from.toFixed(2)}→${+s.to.toFixed(2)}`).padEnd(17)} ${`${+s.durationS.toFixed(1)} s`.padEnd(10)} ${s.requestedRate.toFixed(1).padStart(11)} ${s.achievedRate.toFixed(1).padStart(12)} ${s.completedRate.toFixed(1).padStart(13)} ${String(s.dropped).padStart(9)}   ${(s.requestedRate ? `${((s.achievedRate / s.requestedRate) * 100).toFixed(1)}%` : '').padStart(10)} ${s.latency.p50.toFixed(1).padStart(8)} ${s.latency.p99.toFixed(1).padStart(8)}`,
          ),
        ]
      : [
          `closed model: ${r.load.vus} users; ${r.stages[0]?.achievedRate.toFixed(1) ?? 0} iterations started per s`,
        ]),
    '',
    `outcomes     ${counts(r.outcomes)}`,
    ...(Object.keys(r.iterationErrors).length
      ? [`iterations ended by an error: ${counts(r.iterationErrors)}`]
      : []),
    r.verifiers.ran
      ? `verifiers    ${counts(Object.fromEntries(Object.entries(r.verifiers.violations).map(([k, v]) => [k, v ?? 0])))}`
      : 'verifiers    not run',
    ...(r.faults?.length
      ? [
          '',
          'fault                          at s    for s   requests   errors   recovered after   verifiers',
          ...r.faults.map(
            (f) =>
              `  ${f.name.padEnd(28)} ${f.atS.toFixed(1).padStart(6)} ${f.forS.toFixed(1).padStart(8)} ${String(f.requests ?? '-').padStart(10)} ${String(f.errors ?? '-').padStart(8)} ${(f.recoveredAfterS === undefined ? '-' : f.recoveredAfterS === null ? 'not recovered' : `${f.recoveredAfterS.toFixed(1)} s`).padStart(17)}   ${f.verifiersAtZero === undefined ? '-' : f.verifiersAtZero ? 'all 0' : 'NOT 0'}${f.error ? `  (${f.error})` : ''}`,
          ),
        ]
      : []),
    '',
    'thresholds',
    ...r.thresholds.map(
      (t) =>
        `  ${t.passed ? 'pass' : 'FAIL'}  ${t.metric}: ${t.condition}   (actual ${t.actual === null ? t.reason : Number.isInteger(t.actual) ? t.actual : t.actual.toFixed(4)})`,
    ),
    `=================== ${r.passed ? 'every threshold held' : `${r.thresholds.filter((t) => !t.passed).length} threshold(s) FAILED`} ===================`,
  ];
  return lines.join('\n');
}
