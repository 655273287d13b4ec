// How fast each service's resident memory grows once the run has warmed up: the least-squares
// slope of RSS over time, in MiB per minute, from `fromS` on. A leak shows as a slope that
// stays above zero however long the run; warm-up (JIT, pools, caches) is left out by starting
// late, at half the run by default.
import type { MemorySeries } from '../report/memory-sampler';

// Fewer samples than this say nothing about a trend.
const MIN_POINTS = 10;

export function memoryGrowth(
  series: readonly MemorySeries[],
  fromS: number,
): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const { service, points } of series) {
    const used = points.filter((p) => p.tS >= fromS);
    if (used.length < MIN_POINTS) continue;
    const n = used.length;
    const meanT = used.reduce((s, p) => s + p.tS, 0) / n;
    const meanM = used.reduce((s, p) => s + p.rssMiB, 0) / n;
    const covariance = used.reduce((s, p) => s + (p.tS - meanT) * (p.rssMiB - meanM), 0);
    const variance = used.reduce((s, p) => s + (p.tS - meanT) ** 2, 0);
    if (variance === 0) continue;
    growth[service] = (covariance / variance) * 60;
  }
  return growth;
}
