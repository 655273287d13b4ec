-- NAIVE fixed window, for the demo only: INCRBY + PEXPIRE on a counter per window. A client
-- can spend the whole limit at the end of one window and again at the start of the next,
-- so up to 2 × limit units pass within a few ms. The sliding-window log prevents that.
-- It also takes the window from the caller's clock (the window index is in the key), so
-- gateways with skewed clocks count in different windows.
--
-- KEYS[1]  counter of the window that contains now (the key ends in the window index)
-- ARGV[1]  now in ms since the epoch, as the caller saw it
-- ARGV[2]  limit: units per window (integer)
-- ARGV[3]  windowMs: window length (ms, integer)
-- ARGV[4]  cost: units this request takes (integer, 0..limit)
--
-- Invariant, kept atomically: the counter is the sum of the costs of every request seen in
-- the window, denied ones included (as the classic INCR-then-compare does).
--
-- Returns {allowed 0|1, remaining units, resetMs, retryAfterMs, nowMs used}.

local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

local count = redis.call('INCRBY', KEYS[1], cost)
if count == cost then
  redis.call('PEXPIRE', KEYS[1], window)
end
local reset = now - (now % window) + window - now
if count <= limit then
  return { 1, limit - count, reset, 0, now }
end
return { 0, 0, reset, reset, now }
