// What each fault did to the traffic, from the run's per-second buckets: the requests and
// errors from its start until the traffic recovered, and how long after the healing that
// took.
//
// Recovered means the error rate came back to its level before the fault and stayed there:
// from the recovery second to the end of the fault's horizon (the next fault's start, or the
// end of the traffic), every span of SUSTAIN_S seconds has answers and an error rate within
// TOLERANCE of the rate before the fault. Errors that begin after the healing (a circuit that
// opens late, a pool that reconnects and then fails) push the recovery past them; a fault
// whose errors last until its horizon did not recover within the run.
import type { FaultWindow } from '../load/report';
import type { SecondBucket } from '../load/recorder';
import type { FaultRecord } from './fault-runner';

// The span the error rate must hold, and how far above its level it may be within it: one
// stray error among 50 answers (10/s for 5 s) is noise, two are not.
export const SUSTAIN_S = 5;
export const TOLERANCE = 0.02;

interface Totals {
  requests: number;
  errors: number;
}

const totals = (seconds: readonly SecondBucket[]): Totals => ({
  requests: seconds.reduce((n, s) => n + s.requests, 0),
  errors: seconds.reduce((n, s) => n + s.errors, 0),
});

// The error rate before a fault: every second before its start that no other fault's window
// (from its start to its healing) covers. No such second: a rate of 0.
export function levelBefore(
  record: FaultRecord,
  records: readonly FaultRecord[],
  seconds: readonly SecondBucket[],
): number {
  const inOtherWindow = (second: number) =>
    records.some(
      (other) =>
        other !== record &&
        second >= Math.floor(other.atS) &&
        second < Math.ceil(other.healedAtS ?? other.atS + other.forS),
    );
  const before = seconds.filter(
    (s) => s.second < Math.floor(record.atS) && !inOtherWindow(s.second),
  );
  const { requests, errors } = totals(before);
  return requests === 0 ? 0 : errors / requests;
}

// The first second from `from` on after which every SUSTAIN_S span up to `horizon`
// (exclusive) holds the level; undefined when none does. A horizon closer than SUSTAIN_S is
// judged as one shorter span.
export function recoverySecond(
  seconds: readonly SecondBucket[],
  from: number,
  horizon: number,
  level: number,
): number | undefined {
  const at = new Map(seconds.map((s) => [s.second, s]));
  const holds = (start: number) => {
    const span: SecondBucket[] = [];
    for (let n = start; n < Math.min(start + SUSTAIN_S, horizon); n++) {
      const bucket = at.get(n);
      if (bucket) span.push(bucket);
    }
    const { requests, errors } = totals(span);
    return requests > 0 && errors / requests <= level + TOLERANCE;
  };
  for (let s = from; s < horizon; s++) {
    let ok = true;
    for (let start = s; start <= Math.max(s, horizon - SUSTAIN_S) && ok; start++) {
      ok = holds(start);
    }
    if (ok) return s;
  }
  return undefined;
}

export function measureFaults(
  records: readonly FaultRecord[],
  seconds: readonly SecondBucket[],
  verifiersAtZero: boolean,
): FaultWindow[] {
  const end = seconds.length === 0 ? 0 : (seconds[seconds.length - 1]?.second ?? -1) + 1;
  return records.map((record) => {
    const { healedAtS, error } = record;
    const base: FaultWindow = {
      name: record.name,
      atS: record.atS,
      forS: record.forS,
      verifiersAtZero,
      ...(error === undefined ? {} : { error }),
    };
    if (healedAtS === null) {
      return { ...base, error: error ?? 'not started: the traffic ended first' };
    }
    // A later fault's errors are its own: this fault is judged up to the next one's start.
    const next = records
      .map((r) => r.atS)
      .filter((atS) => atS > record.atS && atS >= healedAtS)
      .sort((a, b) => a - b)[0];
    const horizon = next === undefined ? end : Math.min(end, Math.floor(next));
    const level = levelBefore(record, records, seconds);
    const recovered = recoverySecond(seconds, Math.floor(healedAtS), horizon, level);
    const until = recovered ?? horizon;
    const affected = seconds.filter(
      (s) => s.second >= Math.floor(record.atS) && s.second < Math.max(until, Math.ceil(healedAtS)),
    );
    return {
      ...base,
      ...totals(affected),
      recoveredAfterS:
        recovered === undefined ? null : +Math.max(0, recovered - healedAtS).toFixed(1),
    };
  });
}
