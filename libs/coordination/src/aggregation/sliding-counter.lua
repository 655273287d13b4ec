-- Sliding-window counter: approximate. Keeps the counts of the current and the previous
-- fixed window and assumes the previous window's units were spread evenly over it:
--   usage = previous × (windowMs - elapsed) / windowMs + current
-- Everything is multiplied by windowMs so the comparison is in exact integers.
--
-- KEYS[1]  hash {w = current window start (ms), c = units in it, p = units in the previous}
-- ARGV[1]  now in ms since the epoch, or '' to use Redis TIME (one clock for every caller)
-- ARGV[2]  limit: units per window (integer)
-- ARGV[3]  windowMs: window length (ms, integer)
-- ARGV[4]  cost: units this request takes (integer, 0..limit)
--
-- Invariant, kept atomically: the weighted usage after an admit never exceeds the limit, and
-- so no fixed window ever holds more than `limit` units. Roll-over, check and increment are
-- one script.
--
-- Returns {allowed 0|1, remaining units, resetMs, retryAfterMs, nowMs used}.

local now = clock_ms(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

local start, previous, current = sliding_counter_state(KEYS[1], now, window)

local elapsed = math.max(0, now - start)
local scaled = previous * (window - elapsed) + current * window
local allowed = 0
local retry = 0
if scaled + cost * window <= limit * window then
  allowed = 1
  current = current + cost
  scaled = scaled + cost * window
  redis.call('HSET', KEYS[1], 'w', start, 'c', current, 'p', previous)
  -- The current count matters until the end of the next window, where its weight is 0.
  redis.call('PEXPIRE', KEYS[1], start + 2 * window - now)
elseif current + cost <= limit then
  -- Fits later in this window, once the previous window's weight has decayed.
  local numerator = window * (previous + current + cost - limit)
  retry = math.floor((numerator + previous - 1) / previous) - elapsed
else
  -- Fits only in the next window, where `current` becomes the previous count.
  local numerator = window * (current + cost - limit)
  local into = math.floor((numerator + current - 1) / current)
  retry = start + window + into - now
end

local remaining = math.max(0, math.floor((limit * window - scaled) / window))
local reset = 0
if current > 0 then
  reset = start + 2 * window - now
elseif previous > 0 then
  reset = start + window - now
end

return { allowed, remaining, reset, retry, now }
