-- Functions shared by the limiters' scripts (LuaScript.fromFile includes this file first), so
-- a decision and the read-only peek use one clock and one piece of window math.

-- Now in ms since the epoch: the caller's clock when one is given, else Redis TIME (one
-- clock for every caller).
local function clock_ms(given)
  if given ~= '' then
    return tonumber(given)
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The sliding counter's state at `now`, rolled over in memory only (the caller writes, or
-- not): the current window's start and the units counted in the previous and the current
-- window. If the clock went back (failover, override), counting stays in the stored window.
local function sliding_counter_state(key, now, window)
  local start = now - (now % window)
  local state = redis.call('HMGET', key, 'w', 'c', 'p')
  local stored = tonumber(state[1])
  local previous = 0
  local current = 0
  if stored ~= nil then
    if stored == start then
      previous = tonumber(state[3]) or 0
      current = tonumber(state[2]) or 0
    elseif stored == start - window then
      previous = tonumber(state[2]) or 0
    elseif stored > start then
      start = stored
      previous = tonumber(state[3]) or 0
      current = tonumber(state[2]) or 0
    end
  end
  return start, previous, current
end
