import { memoryGrowth } from './memory-growth';

const series = (service: string, rss: (tS: number) => number, seconds = 120) => ({
  service,
  points: Array.from({ length: seconds }, (_, tS) => ({ tS, rssMiB: rss(tS) })),
});

describe('memoryGrowth', () => {
  it('a-leak-of-one-mib-a-minute-measures-one-mib-a-minute', () => {
    expect(memoryGrowth([series('ticketing', (t) => 100 + t / 60)], 0)['ticketing']).toBeCloseTo(
      1,
      6,
    );
  });

  it('warm-up-before-the-start-is-left-out', () => {
    // Grows 50 MiB in the first minute, then flat.
    const warm = series('payments', (t) => (t < 60 ? 100 + (50 * t) / 60 : 150));
    expect(memoryGrowth([warm], 0)['payments']).toBeGreaterThan(10);
    expect(memoryGrowth([warm], 60)['payments']).toBeCloseTo(0, 6);
  });

  it('too-few-samples-give-no-figure-rather-than-a-guess', () => {
    expect(memoryGrowth([series('auction', (t) => t, 5)], 0)).toEqual({});
  });
});
