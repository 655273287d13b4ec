#!lua flags=no-writes
-- Read-only usage of one client under one policy, by the window math of the decision script
-- of the same algorithm with cost 0 (the shared parts in window-lib.lua). It never prunes,
-- rolls a window over or sets an expiry, so looking never changes what a later decision sees. The no-writes
-- flag makes Redis refuse any write from this script (and lets it run on a replica).
--
-- KEYS[1]  the state key the decision script of this algorithm writes (limiter.ts builds
--          both): <base>:log, <base>:sc, <base>:gcra or <base>:fw:<window index>
-- ARGV[1]  now in ms since the epoch, or '' to use Redis TIME (one clock for every caller)
-- ARGV[2]  algorithm: sliding-log | sliding-counter | gcra | fixed-window
-- ARGV[3]  limit: units per window (integer)
-- ARGV[4]  windowMs: window length (ms, integer)
-- ARGV[5]  burst: units that may be spent at once from idle (integer; GCRA only, else limit)
--
-- Invariant: `remaining` is exactly the largest cost the decision script would admit now;
-- `used` is what stands between that and the full capacity.
--
-- Returns {used units, remaining units, resetMs, nowMs used}.

local now = clock_ms(ARGV[1])
local algorithm = ARGV[2]
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local burst = tonumber(ARGV[5])

if algorithm == 'sliding-log' then
  -- As sliding-log.lua: a unit admitted at t has left the window once now >= t + windowMs.
  -- ZCOUNT over (now - windowMs, +inf] counts what its prune would leave, without pruning.
  local used = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  local reset = 0
  if used > 0 then
    local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    reset = tonumber(newest[2]) + window - now
  end
  return { used, math.max(0, limit - used), reset, now }
end

if algorithm == 'sliding-counter' then
  -- As sliding-counter.lua up to its decision, with the roll-over computed, not written.
  local start, previous, current = sliding_counter_state(KEYS[1], now, window)
  local elapsed = math.max(0, now - start)
  local scaled = previous * (window - elapsed) + current * window
  local reset = 0
  if current > 0 then
    reset = start + 2 * window - now
  elseif previous > 0 then
    reset = start + window - now
  end
  -- The weighted usage, rounded up, so used + remaining = limit while within the limit.
  local used = math.floor((scaled + window - 1) / window)
  return { used, math.max(0, math.floor((limit * window - scaled) / window)), reset, now }
end

if algorithm == 'gcra' then
  -- As gcra.lua: a TAT at or behind now is a full bucket.
  local interval = math.ceil(window * 1000 / limit)
  local tolerance = interval * burst
  local nowUs = now * 1000
  local tat = tonumber(redis.call('GET', KEYS[1]))
  if tat == nil or tat <= nowUs then
    return { 0, burst, 0, now }
  end
  local ahead = tat - nowUs
  return {
    math.ceil(ahead / interval),
    math.max(0, math.floor((tolerance - ahead) / interval)),
    math.ceil(ahead / 1000),
    now,
  }
end

-- fixed-window: the key names the window (from the caller's clock, as for the decision);
-- its end is the reset, as fixed-window.lua reports it.
local used = tonumber(redis.call('GET', KEYS[1])) or 0
local reset = 0
if used > 0 then
  reset = now - (now % window) + window - now
end
return { used, math.max(0, limit - used), reset, now }
