// Each service's resident memory while a run goes: VmRSS from /proc/<pid>/status once a
// second, for the processes whose pids are known (the native stack's services). The pids are
// asked for at every tick, so a service restarted mid-run is followed under its new pid.
import { readFileSync } from 'node:fs';

export interface MemoryPoint {
  // Seconds since the run's start, on the same axis as the per-second buckets.
  tS: number;
  rssMiB: number;
  heapMiB?: number;
}

export interface MemorySeries {
  service: string;
  points: MemoryPoint[];
}

export interface SampledProcess {
  service: string;
  pid: number;
}

const KIB_PER_MIB = 1024;

// The resident set of a live process in MiB; undefined once it has gone.
export function residentMiB(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) / KIB_PER_MIB : undefined;
}

export class MemorySampler {
  private readonly samples = new Map<string, { atMs: number; rssMiB: number }[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly processes: () => readonly SampledProcess[],
    private readonly everyMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  private sample(): void {
    const atMs = this.now();
    for (const { service, pid } of this.processes()) {
      const rssMiB = residentMiB(pid);
      if (rssMiB === undefined) continue;
      let points = this.samples.get(service);
      if (!points) {
        points = [];
        this.samples.set(service, points);
      }
      points.push({ atMs, rssMiB });
    }
  }

  // Stops sampling; the points are given in seconds from `originMs` (the run's start, on the
  // same clock). Of those taken before it only the last is kept, so the line starts at 0 s.
  stop(originMs: number): MemorySeries[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return [...this.samples.entries()].map(([service, points]) => ({
      service,
      points: points
        .filter((p) => p.atMs > originMs - this.everyMs)
        .map((p) => ({
          tS: +((p.atMs - originMs) / 1000).toFixed(3),
          rssMiB: +p.rssMiB.toFixed(1),
        })),
    }));
  }
}
