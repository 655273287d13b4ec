-- leave.lua: take one member out of a group at once, instead of waiting for its lease.
--
-- KEYS[1]  assign:{namespace:group}:members  sorted set, member id -> lease expiry (ms)
-- ARGV[1]  member id
--
-- Returns 1 if the member was listed, else 0.
return redis.call('ZREM', KEYS[1], ARGV[1])
