// Latency histograms (HdrHistogram): constant memory whatever the number of samples, values
// kept to 3 significant digits. Samples are recorded in microseconds.
import { build, type Histogram } from 'hdr-histogram-js';

export interface LatencyStats {
  count: number;
  minMs: number;
  meanMs: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  maxMs: number;
}

// Ten minutes: a latency past it is recorded as ten minutes.
const HIGHEST_US = 600_000_000;

export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  reset(): void {
    this.histogram.reset();
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentile(p: number): number {
    // A bucket's highest equivalent value can pass the largest sample: never report above it.
    if (this.count === 0) return 0;
    return Math.min(this.histogram.getValueAtPercentile(p), this.histogram.maxValue) / 1000;
  }

  stats(): LatencyStats {
    const h = this.histogram;
    const empty = h.totalCount === 0;
    return {
      count: h.totalCount,
      minMs: empty ? 0 : h.minNonZeroValue / 1000,
      meanMs: empty ? 0 : h.mean / 1000,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      maxMs: empty ? 0 : h.maxValue / 1000,
    };
  }
}
