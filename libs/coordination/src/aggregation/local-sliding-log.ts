import type { Clock } from '../clock/clock';
import { slidingLogDecide, type LogEntry, type WindowDecision } from './window-math';

export interface LocalSlidingLogOptions {
  limit: number;
  windowMs: number;
  clock: Clock;
  // Bound on memory: the least recently used keys are forgotten beyond it, and a
  // forgotten key starts again with its full limit.
  maxKeys?: number;
}

// In-process sliding-window log: exact for this process only. It decides while Redis is
// unreachable, so its limit is a per-instance share of the policy's limit.
export class LocalSlidingLog {
  private readonly logs = new Map<string, LogEntry[]>();
  private readonly maxKeys: number;

  constructor(private readonly options: LocalSlidingLogOptions) {
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  get limit(): number {
    return this.options.limit;
  }

  get size(): number {
    return this.logs.size;
  }

  check(key: string, cost = 1, nowMs = this.options.clock.now()): WindowDecision {
    const { limit, windowMs } = this.options;
    const { decision, entries } = slidingLogDecide(this.logs.get(key) ?? [], {
      limit,
      windowMs,
      cost,
      nowMs,
    });
    // Re-inserting moves the key to the end of the Map's order: least recently used first.
    this.logs.delete(key);
    if (entries.length > 0) this.logs.set(key, entries);
    this.evict();
    return decision;
  }

  private evict(): void {
    for (const key of this.logs.keys()) {
      if (this.logs.size <= this.maxKeys) return;
      this.logs.delete(key);
    }
  }
}
