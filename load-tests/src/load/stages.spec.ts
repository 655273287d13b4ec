import { arrivals, reshape, stageWindows } from './stages';

const times = (stages: Parameters<typeof stageWindows>[0]) =>
  [...arrivals(stageWindows(stages))].map((a) => a.atMs);

describe('open-model stages', () => {
  it('spaces the arrivals of a constant stage evenly: 50/s for 2 s is 100 arrivals 20 ms apart', () => {
    const at = times([{ rate: 50, durationS: 2 }]);
    expect(at).toHaveLength(100);
    expect(at.slice(0, 3)).toEqual([0, 20, 40]);
    expect(at.at(-1)).toBeCloseTo(1980, 6);
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeCloseTo(20, 6);
  });

  it('ramps linearly: 0 to 100/s over 2 s is 100 arrivals, 25 in the first second and 75 in the second', () => {
    const at = times([{ rate: 0, rateTo: 100, durationS: 2 }]);
    expect(at).toHaveLength(100);
    expect(at.filter((t) => t < 1000)).toHaveLength(25);
    expect(at.filter((t) => t >= 1000 && t < 2000)).toHaveLength(75);
    // The k-th arrival is where the area under the rate line reaches k: t = sqrt(k·2d/r1).
    expect(at[25]).toBeCloseTo(1000, 6);
    expect(at[64]).toBeCloseTo(Math.sqrt((64 * 4) / 100) * 1000, 6);
  });

  it('ramps from the previous stage and back down, in order and within each stage', () => {
    const windows = stageWindows([
      { rate: 10, durationS: 1 },
      { rateTo: 30, durationS: 2 },
      { rateTo: 0, durationS: 1 },
    ]);
    expect(windows.map((w) => [w.from, w.to, w.requested])).toEqual([
      [10, 10, 10],
      [10, 30, 40],
      [30, 0, 15],
    ]);
    const all = [...arrivals(windows)];
    expect(all).toHaveLength(65);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]?.atMs ?? 0).toBeGreaterThan(all[i - 1]?.atMs ?? 0);
    }
    for (const a of all) {
      const w = windows[a.stage];
      expect(a.atMs).toBeGreaterThanOrEqual(w?.startMs ?? NaN);
      expect(a.atMs).toBeLessThan(w?.endMs ?? NaN);
    }
  });

  it('rejects a stage without a duration or with a negative rate', () => {
    expect(() => stageWindows([{ rate: 10, durationS: 0 }])).toThrow(/stage 1/);
    expect(() =>
      stageWindows([
        { rate: 5, durationS: 1 },
        { rateTo: -1, durationS: 1 },
      ]),
    ).toThrow(/stage 2/);
  });

  it('reshapes a load to a peak rate and a total duration, keeping ramps', () => {
    const load = reshape(
      {
        model: 'open',
        maxInFlight: 10,
        stages: [
          { rate: 50, durationS: 20 },
          { rateTo: 200, durationS: 30 },
        ],
      },
      { rate: 100, durationS: 10 },
    );
    expect(load.stages).toEqual([
      { rate: 25, durationS: 4 },
      { rate: 25, rateTo: 100, durationS: 6 },
    ]);
  });
});
