-- extend.lua: push back the expiry of every resource of a hold, only for its current owner.
--
-- KEYS[1 .. n]  hold:{namespace:scope}:lease:<resource>  owner of each resource (string, with TTL)
-- ARGV[1]  owner (string)
-- ARGV[2]  new ttl from now, in milliseconds (integer > 0)
--
-- Returns {'ok'} | {'expired', index} | {'not-owner', index, holder}
--
-- Invariant, kept atomically: the TTLs change only if the owner still holds every resource;
-- a lease that has expired is never revived (the owner must acquire again, with new tokens).
local owner = ARGV[1]
for i = 1, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if not holder then return {'expired', i} end
  if holder ~= owner then return {'not-owner', i, holder} end
end
for i = 1, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return {'ok'}
