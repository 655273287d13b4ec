-- GCRA (generic cell rate algorithm): a token bucket stored as one timestamp, the
-- theoretical arrival time (TAT) at which the bucket would be full again.
--   interval  = ceil(windowMs × 1000 / limit) µs per unit (rate never above the limit)
--   tolerance = interval × burst µs (how far ahead of now the TAT may run)
-- A request of `cost` is admitted iff max(TAT, now) + cost × interval - tolerance <= now.
--
-- KEYS[1]  string: TAT in µs since the epoch
-- ARGV[1]  now in ms since the epoch, or '' to use Redis TIME (one clock for every caller)
-- ARGV[2]  limit: units per window, the sustained rate (integer)
-- ARGV[3]  windowMs: window length (ms, integer)
-- ARGV[4]  burst: units that may be spent at once from idle (integer)
-- ARGV[5]  cost: units this request takes (integer, 0..burst)
--
-- Invariant, kept atomically: over any interval of length d, admitted units never exceed
-- burst + d / interval. Read, check and write of the TAT are one script.
--
-- Returns {allowed 0|1, remaining units, resetMs, retryAfterMs, nowMs used}.

local now = clock_ms(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])

local interval = math.ceil(window * 1000 / limit)
local tolerance = interval * burst
local nowUs = now * 1000
local stored = tonumber(redis.call('GET', KEYS[1]))
local tat = nowUs
if stored ~= nil and stored > nowUs then
  tat = stored
end
local newTat = tat + cost * interval
local allowAt = newTat - tolerance

if allowAt <= nowUs then
  local reset = math.ceil((newTat - nowUs) / 1000)
  if cost > 0 then
    -- %.0f: tostring() would print a µs timestamp in exponent notation.
    redis.call('SET', KEYS[1], string.format('%.0f', newTat), 'PX', math.max(1, reset))
  end
  return { 1, math.floor((tolerance - (newTat - nowUs)) / interval), reset, 0, now }
end

return {
  0,
  math.floor((tolerance - (tat - nowUs)) / interval),
  math.ceil((tat - nowUs) / 1000),
  math.ceil((allowAt - nowUs) / 1000),
  now,
}
