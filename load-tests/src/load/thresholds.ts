// Thresholds in the manner of k6: a metric, optionally narrowed to one named request, and
// conditions on it. `latency{request:hold}: ['p(99)<800']`, `error_rate: ['rate<0.01']`,
// `violations: ['count==0']` (every invariant verifier at 0), `dropped: ['count==0']`, and
// on what iterations returned: `outcomes{outcome:abuser admitted}: ['count<=20']`.
import type { LatencyStats } from './histogram';

export type ThresholdMetric =
  | 'latency'
  | `latency{request:${string}}`
  | 'error_rate'
  | `error_rate{request:${string}}`
  | 'dropped'
  | 'violations'
  | `outcomes{outcome:${string}}`
  | 'memory_growth'
  | `memory_growth{service:${string}}`;

export type Thresholds = Partial<Record<ThresholdMetric, readonly string[]>>;

type Aggregate = 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' | `p(${number})`;
type Operator = '<' | '<=' | '>' | '>=' | '==';

export interface ParsedCondition {
  aggregate: Aggregate;
  percentile?: number;
  operator: Operator;
  value: number;
}

const CONDITION =
  /^\s*(avg|min|max|med|rate|count|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;
const METRIC =
  /^(?:(latency|error_rate|dropped|violations)(?:\{request:([^}]+)\})?|(outcomes)\{outcome:([^}]+)\}|(memory_growth)(?:\{service:([^}]+)\})?)$/;

// Which aggregates each metric has.
const ALLOWED: Record<string, readonly string[]> = {
  latency: ['avg', 'min', 'max', 'med', 'p', 'count'],
  error_rate: ['rate', 'count'],
  dropped: ['count', 'rate'],
  violations: ['count'],
  // count: iterations with that outcome; rate: their share of the iterations that finished.
  outcomes: ['count', 'rate'],
  // MiB per minute of resident memory after warm-up: the worst service's, or one service's.
  memory_growth: ['max'],
};

export function parseCondition(metric: string, text: string): ParsedCondition {
  const m = METRIC.exec(metric);
  if (!m)
    throw new Error(
      `threshold metric "${metric}": expected latency, error_rate, dropped or violations (optionally {request:NAME}), outcomes{outcome:NAME}, or memory_growth (optionally {service:NAME})`,
    );
  const c = CONDITION.exec(text);
  if (!c)
    throw new Error(
      `threshold "${metric}: ${text}": expected e.g. p(99)<800, rate<0.01 or count==0`,
    );
  const aggregate = c[1] as Aggregate;
  const kind = aggregate.startsWith('p(') ? 'p' : aggregate;
  const name = m[1] ?? m[3] ?? m[5] ?? '';
  if (!ALLOWED[name]?.includes(kind)) {
    throw new Error(`threshold "${metric}: ${text}": ${name} has no ${aggregate}`);
  }
  const percentile = c[2] === undefined ? undefined : Number(c[2]);
  if (percentile !== undefined && (percentile <= 0 || percentile > 100)) {
    throw new Error(`threshold "${metric}: ${text}": a percentile is in (0, 100]`);
  }
  return {
    aggregate,
    ...(percentile === undefined ? {} : { percentile }),
    operator: c[3] as Operator,
    value: Number(c[4]),
  };
}

// Parses every threshold once, so that a scenario with a typo fails before any load.
export function validateThresholds(thresholds: Thresholds): void {
  for (const [metric, conditions] of Object.entries(thresholds)) {
    for (const condition of conditions ?? []) parseCondition(metric, condition);
  }
}

// What the run measured, as the thresholds read it.
export interface MeasuredRun {
  latency: LatencyStats & { percentile(p: number): number };
  requests: Record<
    string,
    { latency: LatencyStats & { percentile(p: number): number }; errors: number }
  >;
  requestsTotal: number;
  errorsTotal: number;
  scheduled: number;
  dropped: number;
  // null when the run did not verify (the verifiers were skipped).
  violations: number | null;
  // What the finished iterations returned, and how many finished.
  outcomes: Record<string, number>;
  completed: number;
  // MiB per minute each sampled service's memory grew after warm-up (memory-growth.ts).
  memoryGrowth?: Record<string, number>;
}

export interface ThresholdResult {
  metric: string;
  condition: string;
  actual: number | null;
  passed: boolean;
  reason?: string;
}

const compare = (actual: number, op: Operator, value: number) =>
  op === '<'
    ? actual < value
    : op === '<='
      ? actual <= value
      : op === '>'
        ? actual > value
        : op === '>='
          ? actual >= value
          : actual === value;

function actualOf(run: MeasuredRun, metric: string, c: ParsedCondition): number | null {
  const [, name, request, , outcome, growth, service] = METRIC.exec(metric) ?? [];
  if (growth !== undefined) {
    const slopes = run.memoryGrowth ?? {};
    if (service !== undefined) return slopes[service] ?? null;
    const all = Object.values(slopes);
    return all.length ? Math.max(...all) : null;
  }
  if (outcome !== undefined) {
    const n = run.outcomes[outcome] ?? 0;
    return c.aggregate === 'rate' ? (run.completed ? n / run.completed : 0) : n;
  }
  if (name === 'violations') return run.violations;
  if (name === 'dropped') {
    return c.aggregate === 'rate' ? (run.scheduled ? run.dropped / run.scheduled : 0) : run.dropped;
  }
  const one = request === undefined ? undefined : run.requests[request];
  if (request !== undefined && !one) return null;
  if (name === 'error_rate') {
    const errors = one ? one.errors : run.errorsTotal;
    const total = one ? one.latency.count : run.requestsTotal;
    return c.aggregate === 'count' ? errors : total ? errors / total : 0;
  }
  const latency = one ? one.latency : run.latency;
  switch (c.aggregate) {
    case 'avg':
      return latency.meanMs;
    case 'min':
      return latency.minMs;
    case 'max':
      return latency.maxMs;
    case 'med':
      return latency.percentile(50);
    case 'count':
      return latency.count;
    default:
      return latency.percentile(c.percentile ?? 100);
  }
}

export function evaluateThresholds(thresholds: Thresholds, run: MeasuredRun): ThresholdResult[] {
  return Object.entries(thresholds).flatMap(([metric, conditions]) =>
    (conditions ?? []).map((condition) => {
      const parsed = parseCondition(metric, condition);
      const actual = actualOf(run, metric, parsed);
      if (actual === null) {
        // A threshold on something that never happened cannot be said to hold.
        const reason =
          metric === 'violations'
            ? 'the verifiers did not run'
            : metric.startsWith('memory_growth')
              ? 'no memory trend: too few samples after warm-up, or not the native stack'
              : 'no such request was made';
        return { metric, condition, actual, passed: false, reason };
      }
      return { metric, condition, actual, passed: compare(actual, parsed.operator, parsed.value) };
    }),
  );
}
