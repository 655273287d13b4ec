-- install-epoch.lua: install an epoch taken from Postgres, unless Redis restarted meanwhile.
--
-- KEYS[1]  hold:{namespace:scope}:epoch         epoch of the scope (integer, no TTL)
-- KEYS[2]  hold:{namespace:scope}:boot:<nonce>  marker the caller wrote (SET PX) before it read Postgres
-- ARGV[1]  epoch from the Postgres sequence (integer, 1 .. 2^21 - 1)
--
-- Returns {'installed', epoch} | {'exists', epoch} | {'stale'}
--
-- Invariant, kept atomically: the epoch key is set at most once per Redis incarnation, and only
-- to a value read from Postgres after that incarnation began (the marker is still there). A
-- value read before a restart is refused ('stale'), because it may be lower than an epoch that
-- another client installed and used before the restart.
local current = redis.call('GET', KEYS[1])
if current then
  -- Someone else won the race in this incarnation: everyone uses their epoch.
  redis.call('DEL', KEYS[2])
  return {'exists', tonumber(current)}
end
if redis.call('DEL', KEYS[2]) == 0 then
  return {'stale'}
end
redis.call('SET', KEYS[1], ARGV[1])
return {'installed', tonumber(ARGV[1])}
