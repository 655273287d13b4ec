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
--
-- Cost: a free resource is taken with one SET NX GET (take it if free, else read its holder),
-- so a hold of one resource is three commands (GET epoch, SET NX GET, INCR) instead of four.
-- What a refusal took before it was refused is deleted again in the same script, so nobody
-- sees it. SET with both NX and GET needs Redis 7.0 or later.
local n = (#KEYS - 1) / 2
local owner = ARGV[1]
local ttl = ARGV[2]

local epoch = redis.call('GET', KEYS[1])
if not epoch then return {'no-epoch'} end

-- taken[i]: this call set lease i (it was free). Otherwise the owner already held it (a retry
-- after a lost reply): the lease is renewed below, once the counters are issued.
local taken = {}
local function untake(upto)
  for j = 1, upto do
    if taken[j] then redis.call('DEL', KEYS[1 + j]) end
  end
end

for i = 1, n do
  local holder = redis.call('SET', KEYS[1 + i], owner, 'NX', 'PX', ttl, 'GET')
  if holder and holder ~= owner then
    untake(i - 1)
    return {'held', i, holder, redis.call('PTTL', KEYS[1 + i])}
  end
  taken[i] = not holder
end

local max = tonumber(ARGV[3])
local reply = {'ok', tonumber(epoch)}
for i = 1, n do
  local counter = redis.call('INCR', KEYS[n + 1 + i])
  -- Refuse rather than wrap: a wrapped counter would make the token go backwards. Undo the
  -- increments and the leases taken so far, so a refusal changes nothing.
  if counter > max then
    for j = 1, i do redis.call('DECR', KEYS[n + 1 + j]) end
    untake(n)
    return {'exhausted', i}
  end
  reply[2 + i] = counter
end
for i = 1, n do
  if not taken[i] then redis.call('SET', KEYS[1 + i], owner, 'PX', ttl) end
end
return reply
