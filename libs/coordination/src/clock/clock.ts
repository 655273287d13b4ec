// Mechanisms read time only through a Clock, so lease expiry, window boundaries and
// timeouts can be driven by a FakeClock in unit tests instead of by sleeping.
export interface Clock {
  // Milliseconds since the Unix epoch.
  now(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
};
