import { percentile, summarize } from './stats';

describe('latency summaries', () => {
  it('takes the nearest-rank percentile', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it('summarizes unsorted samples and an empty run', () => {
    expect(summarize([30, 10, 20])).toEqual({ count: 3, p50: 20, p99: 30, max: 30 });
    expect(summarize([])).toEqual({ count: 0, p50: 0, p99: 0, max: 0 });
  });
});
