-- Sliding-window log: exact. Admits a request only if the units admitted in the window
-- (now - windowMs, now] plus its cost stay within the limit.
--
-- KEYS[1]  sorted set of admitted units: score = admit time (ms), member = '<time>:<n>' where
--          n numbers the units admitted at that ms from 1
-- ARGV[1]  now in ms since the epoch, or '' to use Redis TIME (one clock for every caller)
-- ARGV[2]  limit: units per window (integer)
-- ARGV[3]  windowMs: window length (ms, integer)
-- ARGV[4]  cost: units this request takes (integer, 0..limit)
--
-- Invariant, kept atomically: the set never holds more than `limit` members with a score in
-- any (t - windowMs, t]. Prune, count and add happen in one script, so two gateways cannot
-- both see room for the last unit.
--
-- Returns {allowed 0|1, remaining units, resetMs, retryAfterMs, nowMs used}.

local now = clock_ms(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

-- A unit admitted at t has left the window once now >= t + windowMs.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])

local allowed = 0
local retry = 0
if used + cost <= limit then
  allowed = 1
  if cost > 0 then
    -- One member per unit, so ZCARD is the count and retry-after is one ZRANGE. Units with
    -- score `now` are always named now:1..k (pruning removes a whole score at once), so
    -- numbering on from ZCOUNT never reuses a live member's name.
    local first = redis.call('ZCOUNT', KEYS[1], now, now)
    local batch = {}
    for n = first + 1, first + cost do
      batch[#batch + 1] = now
      batch[#batch + 1] = now .. ':' .. n
      -- unpack() has a stack limit; add in slices.
      if #batch >= 1000 then
        redis.call('ZADD', KEYS[1], unpack(batch))
        batch = {}
      end
    end
    if #batch > 0 then
      redis.call('ZADD', KEYS[1], unpack(batch))
    end
    used = used + cost
  end
else
  -- The request fits once the (used + cost - limit) oldest units have left.
  local need = used + cost - limit
  local oldest = redis.call('ZRANGE', KEYS[1], need - 1, need - 1, 'WITHSCORES')
  retry = tonumber(oldest[2]) + window - now
end

local reset = 0
if used > 0 then
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  reset = tonumber(newest[2]) + window - now
  if allowed == 1 and cost > 0 then
    -- The set lives exactly as long as its newest unit counts.
    redis.call('PEXPIRE', KEYS[1], reset)
  end
end

return { allowed, limit - used, reset, retry, now }
