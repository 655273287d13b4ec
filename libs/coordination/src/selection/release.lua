-- release.lua: free the resources of a hold that its owner still holds.
--
-- KEYS[1 .. n]  hold:{namespace:scope}:lease:<resource>  owner of each resource (string, with TTL)
-- ARGV[1]  owner (string)
--
-- Returns {'ok', released} | {'expired', index, released} | {'not-owner', index, released, holder}
-- where released is the number of leases deleted and index the first resource not owned.
--
-- Invariant, kept atomically: only leases whose value is this owner are deleted; a resource
-- that expired and was taken by someone else is left to its new holder.
local owner = ARGV[1]
local released = 0
local problem = nil
for i = 1, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder == owner then
    redis.call('DEL', KEYS[i])
    released = released + 1
  elseif not problem then
    problem = {i, holder}
  end
end
if not problem then return {'ok', released} end
if not problem[2] then return {'expired', problem[1], released} end
return {'not-owner', problem[1], released, problem[2]}
