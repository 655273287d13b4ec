import { MemorySampler, residentMiB } from './memory-sampler';

describe('the memory sampler', () => {
  it("reads a live process's resident memory from /proc in MiB", () => {
    const rss = residentMiB(process.pid);
    expect(rss).toBeGreaterThan(1);
    expect(rss).toBeLessThan(64 * 1024);
  });

  it('reads nothing for a process that does not exist', () => {
    expect(residentMiB(2 ** 22 + 1)).toBeUndefined();
  });

  it("gives each process's samples in seconds from the run's start, with the last one before it", () => {
    jest.useFakeTimers();
    try {
      let now = 1_000;
      const sampler = new MemorySampler(
        () => [
          { service: 'gateway', pid: process.pid },
          { service: 'gone', pid: 2 ** 22 + 1 },
        ],
        1_000,
        () => now,
      ).start();
      for (let tick = 0; tick < 3; tick++) {
        now += 1_000;
        jest.advanceTimersByTime(1_000);
      }
      const series = sampler.stop(2_500);
      expect(series.map((s) => s.service)).toEqual(['gateway']);
      expect(series[0]?.points.map((p) => p.tS)).toEqual([-0.5, 0.5, 1.5]);
      expect(series[0]?.points.every((p) => p.rssMiB > 1)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
