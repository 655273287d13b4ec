// Time for the load engine: milliseconds from an arbitrary origin, and a way to wait until a
// moment. The real clock is performance.now and setTimeout; the fake one lets unit tests run
// a minute of load in no wall time, with the scheduler and a fake server on the same clock.
export interface Clock {
  now(): number;
  // Resolves at `atMs` or later; at once when `atMs` has passed.
  sleepUntil(atMs: number): Promise<void>;
  // Lets pending I/O run (responses, timers) before going on, without waiting for time.
  yield(): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  // Node's timers may fire up to a millisecond before performance.now() reaches the moment:
  // wait again for the rest, so that nothing starts before its time.
  sleepUntil: async (atMs) => {
    for (let wait = atMs - performance.now(); wait > 0; wait = atMs - performance.now()) {
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  },
  yield: () => new Promise((r) => setImmediate(r)),
};

export const sleep = (clock: Clock, ms: number): Promise<void> =>
  clock.sleepUntil(clock.now() + ms);

// A discrete-event clock: time moves only when every pending promise has settled and all
// that is left is waiting on a timer; then it jumps to the earliest timer.
export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleepUntil(atMs: number): Promise<void> {
    if (atMs <= this.time) return Promise.resolve();
    return new Promise((fire) => {
      this.timers.push({ at: atMs, seq: this.seq++, fire });
    });
  }

  // A timer due now: it fires after everything that can run without time has run.
  yield(): Promise<void> {
    return new Promise((fire) => {
      this.timers.push({ at: this.time, seq: this.seq++, fire });
    });
  }

  // Moves time forward without firing anything first: a stalled load generator (a GC pause,
  // a busy event loop) that wakes up late.
  stall(ms: number): void {
    this.time += ms;
  }

  // Runs until `done` settles, firing timers in time order. Bounded by `maxSteps` timer
  // firings so that a test that never settles fails instead of hanging.
  async run<T>(done: Promise<T>, maxSteps = 1_000_000): Promise<T> {
    let settled = false;
    const result = done.finally(() => {
      settled = true;
    });
    for (let step = 0; step < maxSteps; step++) {
      // setImmediate runs after every queued microtask: all that can move without time has.
      await new Promise((r) => setImmediate(r));
      if (settled) return result;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('the fake clock has no timer left and the run has not ended');
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    throw new Error(`the fake clock fired ${maxSteps} timers and the run has not ended`);
  }
}
