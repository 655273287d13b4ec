-- acquire.lua: take every resource of one hold, or none, and issue a fencing counter for each.
--
-- KEYS[1]              hold:{namespace:scope}:epoch             epoch of the scope (integer, no TTL)
-- KEYS[2 .. n+1]       hold:{namespace:scope}:lease:<resource>  owner of each resource (string, TTL = the hold's TTL)
-- KEYS[n+2 .. 2n+1]    hold:{namespace:scope}:fence:<resource>  last counter issued for each resource (integer, no TTL)
-- ARGV[1]  owner (string)
-- ARGV[2]  ttl, in milliseconds (integer > 0)
-- ARGV[3]  largest counter allowed in one epoch (integer, 2^32 - 1)
--
-- Returns one of
--   {'ok', epoch, counter_1, ..., counter_n}
--   {'held', index, holder, pttl_ms}        resource `index` (1-based) belongs to someone else
--   {'no-epoch'}                            no epoch yet: the caller installs one, then retries
--   {'exhausted', index}                    the counter of resource `index` is at its maximum
--
-- Invariant, kept atomically: either every resource gets (owner, TTL) and a counter exactly one
-- above its previous one, or nothing changes. No counter is ever issued without an epoch.
local n = (#KEYS - 1) / 2
local owner = ARGV[1]

local epoch = redis.call('GET', KEYS[1])
if not epoch then return {'no-epoch'} end

for i = 1, n do
  local holder = redis.call('GET', KEYS[1 + i])
  -- The same owner may acquire again (a retry after a lost reply): it gets fresh counters.
  if holder and holder ~= owner then
    return {'held', i, holder, redis.call('PTTL', KEYS[1 + i])}
  end
end

local max = tonumber(ARGV[3])
local reply = {'ok', tonumber(epoch)}
for i = 1, n do
  local counter = redis.call('INCR', KEYS[n + 1 + i])
  -- Refuse rather than wrap: a wrapped counter would make the token go backwards. Undo the
  -- increments made so far, so a refusal changes nothing.
  if counter > max then
    for j = 1, i do redis.call('DECR', KEYS[n + 1 + j]) end
    return {'exhausted', i}
  end
  reply[2 + i] = counter
end
for i = 1, n do
  redis.call('SET', KEYS[1 + i], owner, 'PX', ARGV[2])
end
return reply
