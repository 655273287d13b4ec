import { LatencyHistogram } from './histogram';
import {
  evaluateThresholds,
  parseCondition,
  validateThresholds,
  type MeasuredRun,
} from './thresholds';

function latencyOf(samples: number[]) {
  const h = new LatencyHistogram();
  for (const s of samples) h.record(s);
  return { ...h.stats(), percentile: (p: number) => h.percentile(p) };
}

const run = (overrides: Partial<MeasuredRun> = {}): MeasuredRun => {
  // 100 holds from 1 to 100 ms, 2 of them errors; 10 tokens at 5 ms.
  const hold = latencyOf(Array.from({ length: 100 }, (_, i) => i + 1));
  const token = latencyOf(Array.from({ length: 10 }, () => 5));
  return {
    latency: latencyOf([...Array.from({ length: 100 }, (_, i) => i + 1), ...Array(10).fill(5)]),
    requests: { hold: { latency: hold, errors: 2 }, token: { latency: token, errors: 0 } },
    requestsTotal: 110,
    errorsTotal: 2,
    scheduled: 110,
    dropped: 0,
    violations: 0,
    outcomes: { 'abuser refused': 30, 'abuser admitted': 20, 'honest served': 50 },
    completed: 100,
    ...overrides,
  };
};

describe('thresholds', () => {
  it('parses k6-style conditions and refuses what it cannot read', () => {
    expect(parseCondition('latency{request:hold}', 'p(99.9) < 800')).toEqual({
      aggregate: 'p(99.9)',
      percentile: 99.9,
      operator: '<',
      value: 800,
    });
    expect(() => parseCondition('latency', 'p99<800')).toThrow(/expected e.g./);
    expect(() => parseCondition('latency', 'rate<0.1')).toThrow(/latency has no rate/);
    expect(() => parseCondition('throughput', 'count>1')).toThrow(/threshold metric/);
    expect(() => validateThresholds({ error_rate: ['rate<0.01', 'p(99)<1'] })).toThrow(
      /error_rate has no p\(99\)/,
    );
  });

  it('judges latency percentiles per request and overall', () => {
    const results = evaluateThresholds(
      {
        'latency{request:hold}': ['p(99)<100', 'p(50)<50'],
        'latency{request:token}': ['max<=5.01'],
        latency: ['avg<60'],
      },
      run(),
    );
    expect(results.map((r) => [r.condition, r.passed])).toEqual([
      ['p(99)<100', true],
      ['p(50)<50', false],
      ['max<=5.01', true],
      ['avg<60', true],
    ]);
    // HdrHistogram keeps 3 significant digits: 50 ms reads back as 50.015.
    expect(results[1]?.actual).toBeCloseTo(50, 1);
  });

  it('judges error rates, drops and the verifiers', () => {
    const results = evaluateThresholds(
      {
        error_rate: ['rate<0.01'],
        'error_rate{request:token}': ['rate==0'],
        dropped: ['count==0'],
        violations: ['count==0'],
      },
      run({ dropped: 3, violations: 1 }),
    );
    expect(results.map((r) => [r.metric, r.actual, r.passed])).toEqual([
      ['error_rate', 2 / 110, false],
      ['error_rate{request:token}', 0, true],
      ['dropped', 3, false],
      ['violations', 1, false],
    ]);
  });

  it('judges what the iterations returned', () => {
    const results = evaluateThresholds(
      {
        'outcomes{outcome:abuser admitted}': ['count<=20', 'rate<0.2'],
        'outcomes{outcome:honest refused}': ['count==0'],
      },
      run(),
    );
    expect(results.map((r) => [r.condition, r.actual, r.passed])).toEqual([
      ['count<=20', 20, true],
      ['rate<0.2', 0.2, false],
      ['count==0', 0, true],
    ]);
    expect(() => parseCondition('outcomes{outcome:x}', 'p(99)<1')).toThrow(/outcomes has no p/);
  });

  it('fails a threshold on a request never made or on verifiers that did not run', () => {
    const results = evaluateThresholds(
      { 'latency{request:checkout}': ['p(99)<800'], violations: ['count==0'] },
      run({ violations: null }),
    );
    expect(results.map((r) => [r.passed, r.reason])).toEqual([
      [false, 'no such request was made'],
      [false, 'the verifiers did not run'],
    ]);
  });

  it('judges memory growth by the worst service or one named service, and never without samples', () => {
    const growing = run({ memoryGrowth: { ticketing: 0.2, payments: 3.5 } });
    const results = evaluateThresholds(
      { memory_growth: ['max<1'], 'memory_growth{service:ticketing}': ['max<1'] },
      growing,
    );
    expect(results.map((r) => [r.metric, r.actual, r.passed])).toEqual([
      ['memory_growth', 3.5, false],
      ['memory_growth{service:ticketing}', 0.2, true],
    ]);
    const [unsampled] = evaluateThresholds({ memory_growth: ['max<1'] }, run());
    expect(unsampled?.passed).toBe(false);
    expect(unsampled?.reason).toMatch(/no memory trend/);
    expect(() => parseCondition('memory_growth', 'p(99)<1')).toThrow(/memory_growth has no p/);
  });
});
