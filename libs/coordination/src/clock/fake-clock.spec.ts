import { systemClock } from './clock';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('starts where it is told and stays there until moved', () => {
    const clock = new FakeClock(1_700_000_000_000);
    expect(clock.now()).toBe(1_700_000_000_000);
    expect(clock.now()).toBe(1_700_000_000_000);
  });

  it('advances by the given number of ms', () => {
    const clock = new FakeClock(1_000);
    expect(clock.advance(250)).toBe(1_250);
    clock.advance(0);
    expect(clock.now()).toBe(1_250);
  });

  it('rejects a negative advance and keeps its time', () => {
    const clock = new FakeClock(1_000);
    expect(() => clock.advance(-1)).toThrow(
      'FakeClock cannot go backwards: advance(-1) is negative',
    );
    expect(clock.now()).toBe(1_000);
  });

  it('sets a later time but rejects an earlier one', () => {
    const clock = new FakeClock(1_000);
    expect(clock.set(5_000)).toBe(5_000);
    expect(() => clock.set(4_999)).toThrow(
      'FakeClock cannot go backwards: set(4999) is before now (5000)',
    );
    expect(clock.now()).toBe(5_000);
  });

  it('rejects non-finite times', () => {
    expect(() => new FakeClock(Number.NaN)).toThrow(RangeError);
    expect(() => new FakeClock().advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('systemClock', () => {
  it('reads the wall clock in ms since the epoch', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
