import { performance } from 'node:perf_hooks';

// How late this process's event loop may be in noticing what the kernel already holds. A
// 1 ms timer marks each turn of the loop; a request stamped at t may have been waiting in the
// kernel since the last mark, so t minus the last mark bounds how much earlier it came. With
// an idle loop the bound is about 1 ms; a loop busy (or the process descheduled) for 30 ms
// gives a request stamped right after it a bound of 30 ms.
export class LoopWatch {
  private lastTurn = performance.now();
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    if (this.timer) return;
    this.lastTurn = performance.now();
    this.timer = setInterval(() => {
      this.lastTurn = performance.now();
    }, 1);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  // Ms since the loop last turned, as of `nowMs` (performance.now()).
  lateness(nowMs: number): number {
    return Math.max(0, nowMs - this.lastTurn);
  }
}
