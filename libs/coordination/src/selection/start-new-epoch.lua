-- start-new-epoch.lua: the runbook's remedy for an exhausted fencing counter.
--
-- KEYS[1]          hold:{namespace:scope}:epoch             epoch of the scope (integer, no TTL)
-- KEYS[2 .. n+1]   hold:{namespace:scope}:fence:<resource>  counters to restart (integer, no TTL)
-- (no ARGV)
--
-- Returns {previous epoch or false, number of counters deleted}
--
-- Invariant, kept atomically: a counter is deleted only together with the epoch it was
-- counted in. No acquire can run between the two, so no token (old epoch, small counter) is
-- ever issued; the next acquire installs a higher epoch from the namespace's own source, and
-- (new epoch, 1) is above (old epoch, any counter).
local previous = redis.call('GET', KEYS[1])
redis.call('DEL', KEYS[1])
local reset = 0
for i = 2, #KEYS do
  reset = reset + redis.call('DEL', KEYS[i])
end
if previous then return {tonumber(previous), reset} end
return {false, reset}
