// Pure TypeScript mirrors of the Lua scripts' arithmetic. The scripts are the truth in
// production; these exist so fast-check can explore the math (and an integration test
// checks that Redis and the mirror agree on random inputs). Keep the operations in the
// same order as the Lua so both compute the same doubles.

export interface WindowDecision {
  allowed: boolean;
  // Units still free after this decision.
  remaining: number;
  // Ms until the full limit is free again if nothing more is admitted.
  resetMs: number;
  // 0 when allowed; otherwise ms until a request of the same cost would be admitted.
  retryAfterMs: number;
}

export interface WindowRequest {
  limit: number;
  windowMs: number;
  cost: number;
  nowMs: number;
}

// --- sliding-window log (exact) -------------------------------------------------------

// One entry per admitted request; `units` is its cost. Sorted by `at`.
export interface LogEntry {
  at: number;
  units: number;
}

// The window is (now - windowMs, now]: an entry admitted at t counts until t + windowMs.
export function slidingLogDecide(
  entries: readonly LogEntry[],
  { limit, windowMs, cost, nowMs }: WindowRequest,
): { decision: WindowDecision; entries: LogEntry[] } {
  const live = entries.filter((entry) => entry.at > nowMs - windowMs);
  let used = live.reduce((sum, entry) => sum + entry.units, 0);
  let retryAfterMs = 0;
  let allowed = false;
  if (used + cost <= limit) {
    allowed = true;
    if (cost > 0) {
      // Kept sorted by time even if the clock went back, as the sorted set is.
      const at = live.findIndex((entry) => entry.at > nowMs);
      live.splice(at === -1 ? live.length : at, 0, { at: nowMs, units: cost });
      used += cost;
    }
  } else {
    // The oldest units leave first; wait until enough have left for `cost` to fit.
    const need = used + cost - limit;
    let freed = 0;
    for (const entry of live) {
      freed += entry.units;
      if (freed >= need) {
        retryAfterMs = entry.at + windowMs - nowMs;
        break;
      }
    }
  }
  const newest = live[live.length - 1];
  const resetMs = used > 0 && newest ? newest.at + windowMs - nowMs : 0;
  return {
    decision: { allowed, remaining: limit - used, resetMs, retryAfterMs },
    entries: live,
  };
}

// --- sliding-window counter (approximate) --------------------------------------------

export interface CounterState {
  windowStart: number;
  current: number;
  previous: number;
}

// Units the counter believes are in (now - windowMs, now]: the previous fixed window's
// count, weighted by the share of it still inside the sliding window, plus the current
// window's count. Scaled by windowMs so it stays an integer.
export function slidingCounterScaledUsage(
  previous: number,
  current: number,
  elapsedMs: number,
  windowMs: number,
): number {
  return previous * (windowMs - elapsedMs) + current * windowMs;
}

export function slidingCounterDecide(
  state: CounterState | undefined,
  { limit, windowMs, cost, nowMs }: WindowRequest,
): { decision: WindowDecision; state: CounterState | undefined } {
  let windowStart = nowMs - (nowMs % windowMs);
  let previous = 0;
  let current = 0;
  if (state) {
    if (state.windowStart === windowStart) {
      previous = state.previous;
      current = state.current;
    } else if (state.windowStart === windowStart - windowMs) {
      previous = state.current;
    } else if (state.windowStart > windowStart) {
      // The clock went back (failover, override): keep counting in the stored window.
      windowStart = state.windowStart;
      previous = state.previous;
      current = state.current;
    }
  }
  const elapsed = Math.max(0, nowMs - windowStart);
  const scaled = slidingCounterScaledUsage(previous, current, elapsed, windowMs);
  const allowed = scaled + cost * windowMs <= limit * windowMs;
  let retryAfterMs = 0;
  let next = state;
  if (allowed) {
    current += cost;
    next = { windowStart, current, previous };
  } else if (current + cost <= limit) {
    // Wait in this window until the previous window's weight has decayed enough:
    // previous × (windowMs - e) + (current + cost) × windowMs ≤ limit × windowMs.
    const numerator = windowMs * (previous + current + cost - limit);
    retryAfterMs = Math.floor((numerator + previous - 1) / previous) - elapsed;
  } else {
    // Only the next window can fit it; there `current` becomes the previous count.
    const numerator = windowMs * (current + cost - limit);
    const into = Math.floor((numerator + current - 1) / current);
    retryAfterMs = windowStart + windowMs + into - nowMs;
  }
  const usedScaled = allowed ? scaled + cost * windowMs : scaled;
  const remaining = Math.max(0, Math.floor((limit * windowMs - usedScaled) / windowMs));
  let resetMs = 0;
  if (current > 0) resetMs = windowStart + 2 * windowMs - nowMs;
  else if (previous > 0) resetMs = windowStart + windowMs - nowMs;
  return { decision: { allowed, remaining, resetMs, retryAfterMs }, state: next };
}

// --- GCRA (a token bucket kept as one timestamp) -------------------------------------

export interface GcraRequest extends WindowRequest {
  burst: number;
}

// Emission interval in µs per unit, rounded up: the enforced rate is never above limit
// per window (at most 1 µs per unit slower).
export function gcraIntervalUs(limit: number, windowMs: number): number {
  return Math.ceil((windowMs * 1000) / limit);
}

// State is the theoretical arrival time (TAT) in µs: when the bucket would be full again.
export function gcraDecide(
  tatUs: number | undefined,
  { limit, windowMs, burst, cost, nowMs }: GcraRequest,
): { decision: WindowDecision; tatUs: number | undefined } {
  const interval = gcraIntervalUs(limit, windowMs);
  const tolerance = interval * burst;
  const nowUs = nowMs * 1000;
  const tat = tatUs === undefined || tatUs < nowUs ? nowUs : tatUs;
  const newTat = tat + cost * interval;
  const allowAt = newTat - tolerance;
  if (allowAt <= nowUs) {
    return {
      decision: {
        allowed: true,
        remaining: Math.floor((tolerance - (newTat - nowUs)) / interval),
        resetMs: Math.ceil((newTat - nowUs) / 1000),
        retryAfterMs: 0,
      },
      tatUs: newTat,
    };
  }
  return {
    decision: {
      allowed: false,
      remaining: Math.floor((tolerance - (tat - nowUs)) / interval),
      resetMs: Math.ceil((tat - nowUs) / 1000),
      retryAfterMs: Math.ceil((allowAt - nowUs) / 1000),
    },
    tatUs,
  };
}

// --- fixed window (naive) ------------------------------------------------------------

export function fixedWindowIndex(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs);
}
