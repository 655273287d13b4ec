// What each fault did to the traffic, from the run's per-second buckets: the requests and
// errors from its start until the traffic recovered, and how long after the healing that
// took. Recovered means three seconds in a row answered with no errors (fewer when the
// traffic ends first): a reconnecting pool may fail a request or two after the healing.
import type { FaultWindow } from '../load/report';
import type { SecondBucket } from '../load/recorder';
import type { FaultRecord } from './fault-runner';

const CLEAN_SECONDS = 3;

const clean = (s: SecondBucket | undefined) => s !== undefined && s.requests > 0 && s.errors === 0;

export function measureFaults(
  records: readonly FaultRecord[],
  seconds: readonly SecondBucket[],
  verifiersAtZero: boolean,
): FaultWindow[] {
  const last = seconds.length === 0 ? -1 : (seconds[seconds.length - 1]?.second ?? -1);
  const at = (second: number) => seconds.find((s) => s.second === second);
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
    let recovered: number | undefined;
    for (let s = Math.floor(healedAtS); s <= last && recovered === undefined; s++) {
      const run = Array.from({ length: CLEAN_SECONDS }, (_, i) => s + i).filter((n) => n <= last);
      if (run.every((n) => clean(at(n)))) recovered = s;
    }
    const until = recovered ?? last + 1;
    const affected = seconds.filter(
      (s) => s.second >= Math.floor(record.atS) && s.second < Math.max(until, Math.ceil(healedAtS)),
    );
    return {
      ...base,
      requests: affected.reduce((n, s) => n + s.requests, 0),
      errors: affected.reduce((n, s) => n + s.errors, 0),
      recoveredAfterS:
        recovered === undefined ? null : +Math.max(0, recovered - healedAtS).toFixed(1),
    };
  });
}
