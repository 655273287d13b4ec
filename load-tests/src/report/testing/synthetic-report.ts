// A run report made up for the page's tests: 30 seconds of an open model ramping from 10 to
// 40 per second, a fault window from 12 s to 18 s in which latency and errors climb and
// iterations are dropped, two services' memory, one threshold held and one failed.
import type { LatencyStats } from '../../load/histogram';
import type { RunReport } from '../../load/report';
import type { SecondBucket } from '../../load/recorder';

const DURATION_S = 30;
export const FAULT = { name: 'payments killed', atS: 12, forS: 6 };

const stats = (p50: number, p99: number, count: number): LatencyStats => ({
  count,
  minMs: p50 / 2,
  meanMs: p50 * 1.2,
  p50,
  p90: p99 * 0.8,
  p95: p99 * 0.9,
  p99,
  maxMs: p99 * 1.5,
});

export function syntheticReport(overrides: Partial<RunReport> = {}): RunReport {
  const perSecond: SecondBucket[] = Array.from({ length: DURATION_S }, (_, second) => {
    const scheduled = Math.round(10 + (30 * second) / DURATION_S);
    const faulted = second >= FAULT.atS && second < FAULT.atS + FAULT.forS;
    const dropped = faulted ? Math.round(scheduled / 3) : 0;
    const sent = scheduled - dropped;
    const requests = sent * 2;
    return {
      second,
      scheduled,
      sent,
      dropped,
      completed: sent,
      requests,
      errors: faulted ? Math.round(requests / 4) : 0,
      latency: {
        count: requests,
        p50: faulted ? 120 : 15,
        p95: faulted ? 900 : 40,
        p99: faulted ? 1400 : 60,
        maxMs: faulted ? 2100 : 90,
      },
      inFlight: faulted ? 40 : 3,
    };
  });
  const sum = (pick: (s: SecondBucket) => number) => perSecond.reduce((n, s) => n + pick(s), 0);
  const requests = sum((s) => s.requests);
  const errors = sum((s) => s.errors);
  const memory = ['gateway', 'payments'].map((service, i) => ({
    service,
    points: Array.from({ length: DURATION_S }, (_, t) => ({
      tS: t + 0.25,
      rssMiB: 110 + 30 * i + t,
      heapMiB: 40 + 10 * i + t / 2,
    })),
  }));
  return {
    scenario: 'flash-sale',
    description: 'Buyers race for <500> seats & "check out"',
    target: 'native',
    startedAt: '2026-11-30T17:00:00.000Z',
    durationS: DURATION_S,
    load: {
      model: 'open',
      stages: [{ rate: 10, rateTo: 40, durationS: DURATION_S }],
      maxInFlight: 200,
    },
    totals: {
      scheduled: sum((s) => s.scheduled),
      sent: sum((s) => s.sent),
      dropped: sum((s) => s.dropped),
      completed: sum((s) => s.completed),
      cutOff: 0,
      requests,
      errors,
      errorRate: errors / requests,
    },
    sendLag: stats(
      0.4,
      3,
      sum((s) => s.sent),
    ),
    latency: stats(16, 1300, requests),
    requests: [
      {
        name: 'hold',
        latency: stats(14, 900, requests / 2),
        errors,
        errorsByKind: { 'status 503': errors },
        ratePerS: requests / 2 / DURATION_S,
      },
      {
        name: 'checkout',
        latency: stats(18, 1500, requests / 2),
        errors: 0,
        errorsByKind: {},
        ratePerS: requests / 2 / DURATION_S,
      },
    ],
    stages: [
      {
        index: 0,
        from: 10,
        to: 40,
        durationS: DURATION_S,
        requestedRate: sum((s) => s.scheduled) / DURATION_S,
        scheduled: sum((s) => s.scheduled),
        sent: sum((s) => s.sent),
        dropped: sum((s) => s.dropped),
        achievedRate: sum((s) => s.sent) / DURATION_S,
        completedRate: sum((s) => s.completed) / DURATION_S,
        latency: stats(16, 1300, requests),
      },
    ],
    perSecond,
    outcomes: { completed: 500, compensated: 40 },
    iterationErrors: { 'hold: status 503': 12 },
    thresholds: [
      {
        metric: 'http_req_duration{name:hold}',
        condition: 'p(99) < 800',
        actual: 900,
        passed: false,
      },
      { metric: 'errors', condition: 'rate < 0.5', actual: errors / requests, passed: true },
    ],
    verifiers: {
      ran: true,
      violations: { oversold: 0, 'orphan holds': 2, 'ledger balance': null },
      details: { seatsSold: 500, note: '</script><script>alert(1)</script>' },
    },
    passed: false,
    memory,
    faults: [FAULT],
    ...overrides,
  };
}
