// What each fault did to the traffic, from the run's per-second buckets: the requests and
// errors between its start and its healing, and how long after the healing the traffic was
// answered without errors again.
import type { FaultWindow } from '../load/report';
import type { SecondBucket } from '../load/recorder';
import type { FaultRecord } from './fault-runner';

export function measureFaults(
  records: readonly FaultRecord[],
  seconds: readonly SecondBucket[],
  verifiersAtZero: boolean,
): FaultWindow[] {
  return records.map((record) => {
    const { healedAtS, error } = record;
    const base: FaultWindow = {
      name: record.name,
      atS: record.atS,
      forS: record.forS,
      verifiersAtZero,
      ...(error === undefined ? {} : { error }),
    };
    if (healedAtS === null)
      return { ...base, error: error ?? 'not started: the traffic ended first' };
    const during = seconds.filter(
      (s) => s.second >= Math.floor(record.atS) && s.second <= Math.floor(healedAtS),
    );
    const firstClean = seconds.find(
      (s) => s.second >= Math.floor(healedAtS) && s.requests > 0 && s.errors === 0,
    );
    return {
      ...base,
      requests: during.reduce((n, s) => n + s.requests, 0),
      errors: during.reduce((n, s) => n + s.errors, 0),
      recoveredAfterS: firstClean ? +Math.max(0, firstClean.second - healedAtS).toFixed(1) : null,
    };
  });
}
