import type { Clock } from './clock';

// A clock that moves only when a test moves it. It never goes backwards: code that
// must survive a wall clock stepping back needs its own test double, stated as such.
export class FakeClock implements Clock {
  private current: number;

  constructor(startMs = 0) {
    FakeClock.assertFinite(startMs, 'start time');
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    FakeClock.assertFinite(ms, 'advance');
    if (ms < 0) {
      throw new RangeError(`FakeClock cannot go backwards: advance(${ms}) is negative`);
    }
    this.current += ms;
    return this.current;
  }

  set(ms: number): number {
    FakeClock.assertFinite(ms, 'set');
    if (ms < this.current) {
      throw new RangeError(
        `FakeClock cannot go backwards: set(${ms}) is before now (${this.current})`,
      );
    }
    this.current = ms;
    return this.current;
  }

  private static assertFinite(value: number, what: string): void {
    if (!Number.isFinite(value)) {
      throw new RangeError(`FakeClock ${what} must be a finite number of ms, got ${value}`);
    }
  }
}
