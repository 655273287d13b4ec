// What a run measured: per second, per named request and per stage. Everything is keyed by
// the clock's time since the run's start, so a fake clock gives exact buckets.
import { LatencyHistogram, type LatencyStats } from './histogram';
import type { StageWindow } from './stages';

export interface SecondBucket {
  second: number;
  // Arrivals due in this second, iterations started, dropped at the in-flight bound, ended.
  scheduled: number;
  sent: number;
  dropped: number;
  completed: number;
  requests: number;
  errors: number;
  latency: Omit<LatencyStats, 'minMs' | 'meanMs' | 'p90'>;
  inFlight: number;
}

export interface RequestStats {
  name: string;
  latency: LatencyStats;
  errors: number;
  errorsByKind: Record<string, number>;
}

export interface StageStats {
  index: number;
  from: number;
  to: number;
  durationS: number;
  requestedRate: number;
  scheduled: number;
  sent: number;
  dropped: number;
  // Iterations started per second while the stage lasted, against what it asked for.
  achievedRate: number;
  completedRate: number;
  // Requests of iterations scheduled in the stage, from when each was meant to start.
  latency: LatencyStats;
}

const SECOND = 1000;

export class Recorder {
  private readonly seconds: SecondBucket[] = [];
  private readonly current = new LatencyHistogram();
  private currentSecond = 0;
  private readonly requests = new Map<
    string,
    { histogram: LatencyHistogram; errorsByKind: Record<string, number> }
  >();
  private readonly sendLag = new LatencyHistogram();
  readonly outcomes: Record<string, number> = {};
  readonly iterationErrors: Record<string, number> = {};
  inFlight = 0;
  private stageCounts = new Map<
    number,
    { scheduled: number; sent: number; dropped: number; latency: LatencyHistogram }
  >();
  private sentAtMs: number[] = [];
  private completedAtMs: number[] = [];

  constructor(private readonly startMs: number) {}

  get startedAtMs(): number {
    return this.startMs;
  }

  private bucket(atMs: number): SecondBucket {
    const second = Math.max(0, Math.floor((atMs - this.startMs) / SECOND));
    this.roll(second);
    let bucket = this.seconds[second];
    if (!bucket) {
      for (let s = this.seconds.length; s <= second; s++) {
        this.seconds[s] = {
          second: s,
          scheduled: 0,
          sent: 0,
          dropped: 0,
          completed: 0,
          requests: 0,
          errors: 0,
          latency: { count: 0, p50: 0, p95: 0, p99: 0, maxMs: 0 },
          inFlight: 0,
        };
      }
      bucket = this.seconds[second] as SecondBucket;
    }
    return bucket;
  }

  // Closes the seconds before `second`: their latency summary is taken from the running
  // histogram, which starts again empty.
  private roll(second: number): void {
    while (this.currentSecond < second) {
      const done = this.seconds[this.currentSecond];
      if (done) {
        const s = this.current.stats();
        done.latency = { count: s.count, p50: s.p50, p95: s.p95, p99: s.p99, maxMs: s.maxMs };
        done.inFlight = this.inFlight;
      }
      this.current.reset();
      this.currentSecond += 1;
    }
  }

  private stage(index: number) {
    let counts = this.stageCounts.get(index);
    if (!counts) {
      counts = { scheduled: 0, sent: 0, dropped: 0, latency: new LatencyHistogram() };
      this.stageCounts.set(index, counts);
    }
    return counts;
  }

  scheduled(atMs: number, stage: number): void {
    this.bucket(atMs).scheduled += 1;
    this.stage(stage).scheduled += 1;
  }

  sent(scheduledMs: number, nowMs: number, stage: number): void {
    this.bucket(nowMs).sent += 1;
    this.stage(stage).sent += 1;
    this.sendLag.record(nowMs - scheduledMs);
    this.sentAtMs.push(nowMs - this.startMs);
    this.inFlight += 1;
  }

  dropped(nowMs: number, stage: number): void {
    this.bucket(nowMs).dropped += 1;
    this.stage(stage).dropped += 1;
  }

  completed(nowMs: number, outcome: string | undefined, error: string | undefined): void {
    this.bucket(nowMs).completed += 1;
    this.completedAtMs.push(nowMs - this.startMs);
    this.inFlight -= 1;
    if (outcome) this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    if (error) this.iterationErrors[error] = (this.iterationErrors[error] ?? 0) + 1;
  }

  request(name: string, nowMs: number, latencyMs: number, stage: number, error?: string): void {
    const bucket = this.bucket(nowMs);
    this.stage(stage).latency.record(latencyMs);
    bucket.requests += 1;
    let entry = this.requests.get(name);
    if (!entry) {
      entry = { histogram: new LatencyHistogram(), errorsByKind: {} };
      this.requests.set(name, entry);
    }
    entry.histogram.record(latencyMs);
    this.current.record(latencyMs);
    if (error) {
      bucket.errors += 1;
      entry.errorsByKind[error] = (entry.errorsByKind[error] ?? 0) + 1;
    }
  }

  // The last closed seconds, for the progress line.
  recent(nowMs: number, seconds: number): SecondBucket[] {
    this.bucket(nowMs);
    const upTo = Math.floor((nowMs - this.startMs) / SECOND);
    return this.seconds.slice(Math.max(0, upTo - seconds), upTo);
  }

  // Closes every second up to the end of the run (the second it ends in, if it has begun).
  finish(nowMs: number): void {
    this.roll(Math.ceil((nowMs - this.startMs) / SECOND));
  }

  perSecond(): SecondBucket[] {
    return this.seconds;
  }

  perRequest(): RequestStats[] {
    return [...this.requests.entries()].map(([name, e]) => ({
      name,
      latency: e.histogram.stats(),
      errors: Object.values(e.errorsByKind).reduce((s, n) => s + n, 0),
      errorsByKind: e.errorsByKind,
    }));
  }

  allRequests(): LatencyStats {
    return this.allHistogram().stats();
  }

  private allHistogram(): LatencyHistogram {
    const all = new LatencyHistogram();
    for (const e of this.requests.values()) all.add(e.histogram);
    return all;
  }

  // Latencies as thresholds read them: any percentile, overall and per request.
  forThresholds(): {
    latency: LatencyStats & { percentile(p: number): number };
    requests: Record<
      string,
      { latency: LatencyStats & { percentile(p: number): number }; errors: number }
    >;
  } {
    const withPercentile = (h: LatencyHistogram) => ({
      ...h.stats(),
      percentile: (p: number) => h.percentile(p),
    });
    return {
      latency: withPercentile(this.allHistogram()),
      requests: Object.fromEntries(
        [...this.requests.entries()].map(([name, e]) => [
          name,
          {
            latency: withPercentile(e.histogram),
            errors: Object.values(e.errorsByKind).reduce((n, x) => n + x, 0),
          },
        ]),
      ),
    };
  }

  // How late the generator started iterations against their schedule: its own health.
  sendLagStats(): LatencyStats {
    return this.sendLag.stats();
  }

  perStage(windows: readonly StageWindow[]): StageStats[] {
    const inWindow = (times: number[], w: StageWindow) =>
      times.filter((t) => t >= w.startMs && t < w.endMs).length;
    return windows.map((w) => {
      const counts = this.stage(w.index);
      const durationS = (w.endMs - w.startMs) / 1000;
      return {
        index: w.index,
        from: w.from,
        to: w.to,
        durationS,
        requestedRate: w.requested / durationS,
        scheduled: counts.scheduled,
        sent: counts.sent,
        dropped: counts.dropped,
        achievedRate: inWindow(this.sentAtMs, w) / durationS,
        completedRate: inWindow(this.completedAtMs, w) / durationS,
        latency: counts.latency.stats(),
      };
    });
  }
}
