-- Increments a counter only while it stays at or below a cap.
-- KEYS[1]  the counter
-- ARGV[1]  cap (integer, inclusive)
-- Returns  the new value, or -1 when the increment would pass the cap.
-- Invariant kept atomically: the counter never exceeds the cap, however many callers race,
-- because the read and the write run in one script with no other command in between.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current + 1 > tonumber(ARGV[1]) then
  return -1
end
return redis.call('INCR', KEYS[1])
