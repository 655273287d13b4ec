#!lua flags=no-writes
-- Read-only usage of one client under one policy: the same arithmetic as the aggregation
-- library's decision scripts with cost 0, but no prune, no roll-over and no expiry, so
-- looking never changes what a later decision sees. The no-writes flag makes Redis refuse
-- any write from this script.
--
-- KEYS[1]  the client's state key: <base>:log (sorted set), <base>:sc (hash w/c/p),
--          <base>:gcra (TAT in µs) or <base>:fw:<window index> (counter)
-- ARGV[1]  algorithm: sliding-log | sliding-counter | gcra | fixed-window
-- ARGV[2]  limit: units per window (integer)
-- ARGV[3]  windowMs: window length (ms, integer)
-- ARGV[4]  burst: GCRA's capacity in units (integer; equal to limit for the others)
--
-- Invariant: reads only; for Redis-timed algorithms the time is Redis TIME, as in the
-- decision scripts.
--
-- Returns {used units, remaining units, resetMs, nowMs used}.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local algorithm = ARGV[1]
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])

if algorithm == 'sliding-log' then
  -- Units admitted at t count while t > now - windowMs.
  local used = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  local reset = 0
  if used > 0 then
    local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    reset = tonumber(newest[2]) + window - now
  end
  return { used, math.max(0, limit - used), reset, now }
end

if algorithm == 'sliding-counter' then
  local start = now - (now % window)
  local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
  local stored = tonumber(state[1])
  local previous = 0
  local current = 0
  if stored ~= nil then
    if stored == start then
      previous = tonumber(state[3]) or 0
      current = tonumber(state[2]) or 0
    elseif stored == start - window then
      previous = tonumber(state[2]) or 0
    elseif stored > start then
      start = stored
      previous = tonumber(state[3]) or 0
      current = tonumber(state[2]) or 0
    end
  end
  local elapsed = math.max(0, now - start)
  local scaled = previous * (window - elapsed) + current * window
  local reset = 0
  if current > 0 then
    reset = start + 2 * window - now
  elseif previous > 0 then
    reset = start + window - now
  end
  -- Weighted usage, rounded up: never reports more room than a decision would find.
  local used = math.floor((scaled + window - 1) / window)
  return { used, math.max(0, math.floor((limit * window - scaled) / window)), reset, now }
end

if algorithm == 'gcra' then
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

-- fixed-window: the key names the window (from the caller's clock), the TTL its end.
local used = tonumber(redis.call('GET', KEYS[1])) or 0
local reset = math.max(0, redis.call('PTTL', KEYS[1]))
return { used, math.max(0, limit - used), reset, now }
