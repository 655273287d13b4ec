import { setTimeout as delay } from 'node:timers/promises';
import type { OwnedPartitions } from '@suite/coordination';
import type { PassReport } from '../fires/fire-due-jobs/fire-due-jobs';

export interface SchedulerFirerOptions {
  // The partitions this instance owns now, with their tokens (PartitionAssigner.owned).
  owned(): OwnedPartitions;
  // FirePass, or NaiveFirePass (which ignores ownership) for the verifier's test.
  pass: { run(owned: () => OwnedPartitions): Promise<PassReport> };
  pollMs: number;
  onPass?(report: PassReport): void;
  onError?(error: unknown): void;
}

// The firing loop of one instance: a pass over the partitions it owns, then a sleep of at
// most pollMs (none when the pass found a full batch). Passes never overlap, so a fire this
// instance claimed is either recorded or failed before the next pass looks again.
export class SchedulerFirer {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SchedulerFirerOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        const report = await this.options.pass.run(() => this.options.owned());
        this.options.onPass?.(report);
      } catch (error) {
        this.options.onError?.(error);
      }
      await delay(this.options.pollMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
