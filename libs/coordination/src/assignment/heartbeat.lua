-- heartbeat.lua: renew one member's lease in a group, drop expired members, list the live ones.
--
-- KEYS[1]  assign:{namespace:group}:members  sorted set, member id -> lease expiry (ms, Redis time)
-- ARGV[1]  member id to renew, or '' to only read
-- ARGV[2]  lease, in milliseconds (integer > 0)
--
-- Returns the live member ids, in id order.
--
-- Invariant, kept atomically: expiry is judged by Redis's own clock, so members whose clocks
-- disagree still agree on who is live; a member is listed only while its last heartbeat is
-- less than one lease old.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
if ARGV[1] ~= '' then
  local lease = tonumber(ARGV[2])
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + lease), ARGV[1])
  -- The set goes away by itself once every member is gone.
  local keep = redis.call('PTTL', KEYS[1])
  if keep < lease then redis.call('PEXPIRE', KEYS[1], lease) end
end
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(live)
return live
