-- Several policies decided together, all or nothing: each policy decides as its own script
-- would (sliding-log.lua, sliding-counter.lua, gcra.lua), nothing is written until every one
-- has admitted, and then every one spends. A request any policy refuses spends nothing in
-- any of them. One round trip for all the policies of a request.
--
-- KEYS[i]  the state key of policy i (limiter.ts names it): <base>:log, <base>:sc or <base>:gcra.
--          Every key must be in one slot on a Redis Cluster (limiter-set.ts checks).
-- ARGV[1]  now in ms since the epoch, or '' to use Redis TIME (one clock for every caller)
-- ARGV[2 + 5(i-1) ...]  policy i: algorithm (sliding-log | sliding-counter | gcra), limit,
--          windowMs, burst (GCRA; else the limit), cost (integer, 0..capacity)
--
-- Invariant, kept atomically: each policy's own invariant (see its script). Every policy
-- reads its state before any writes, and all of it in one script, so no other decision comes
-- between the checks and the writes.
--
-- Returns {all admitted 0|1, nowMs used, then per policy: allowed 0|1, remaining units,
-- resetMs, retryAfterMs}. A policy that admitted a refused request reports what it has left
-- without the request (nothing was spent); one that refused reports its own wait.

local now = clock_ms(ARGV[1])

-- Each decide() returns { allowed, retry, commit, report }: commit() spends the cost and
-- report() gives {remaining, reset} of the state as it is then (after commit, or without).

local function sliding_log(key, limit, window, cost)
  -- As sliding-log.lua: a unit admitted at t has left the window once now >= t + windowMs.
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local used = redis.call('ZCARD', key)
  local plan = { allowed = 0, retry = 0 }
  if used + cost <= limit then
    plan.allowed = 1
  else
    local need = used + cost - limit
    local oldest = redis.call('ZRANGE', key, need - 1, need - 1, 'WITHSCORES')
    plan.retry = tonumber(oldest[2]) + window - now
  end
  function plan.commit()
    if cost == 0 then
      return
    end
    local first = redis.call('ZCOUNT', key, now, now)
    local batch = {}
    for n = first + 1, first + cost do
      batch[#batch + 1] = now
      batch[#batch + 1] = now .. ':' .. n
      if #batch >= 1000 then
        redis.call('ZADD', key, unpack(batch))
        batch = {}
      end
    end
    if #batch > 0 then
      redis.call('ZADD', key, unpack(batch))
    end
    used = used + cost
    local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
    redis.call('PEXPIRE', key, tonumber(newest[2]) + window - now)
  end
  function plan.report()
    local reset = 0
    if used > 0 then
      local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
      reset = tonumber(newest[2]) + window - now
    end
    return limit - used, reset
  end
  return plan
end

local function sliding_counter(key, limit, window, cost)
  -- As sliding-counter.lua, in exact integers scaled by windowMs.
  local start, previous, current = sliding_counter_state(key, now, window)
  local elapsed = math.max(0, now - start)
  local scaled = previous * (window - elapsed) + current * window
  local plan = { allowed = 0, retry = 0 }
  if scaled + cost * window <= limit * window then
    plan.allowed = 1
  elseif current + cost <= limit then
    local numerator = window * (previous + current + cost - limit)
    plan.retry = math.floor((numerator + previous - 1) / previous) - elapsed
  else
    local numerator = window * (current + cost - limit)
    local into = math.floor((numerator + current - 1) / current)
    plan.retry = start + window + into - now
  end
  function plan.commit()
    current = current + cost
    scaled = scaled + cost * window
    redis.call('HSET', key, 'w', start, 'c', current, 'p', previous)
    redis.call('PEXPIRE', key, start + 2 * window - now)
  end
  function plan.report()
    local reset = 0
    if current > 0 then
      reset = start + 2 * window - now
    elseif previous > 0 then
      reset = start + window - now
    end
    return math.max(0, math.floor((limit * window - scaled) / window)), reset
  end
  return plan
end

local function gcra(key, limit, window, burst, cost)
  -- As gcra.lua: the theoretical arrival time (TAT) in µs; a TAT behind now is a full bucket.
  local interval = math.ceil(window * 1000 / limit)
  local tolerance = interval * burst
  local nowUs = now * 1000
  local stored = tonumber(redis.call('GET', key))
  local tat = nowUs
  if stored ~= nil and stored > nowUs then
    tat = stored
  end
  local newTat = tat + cost * interval
  local allowAt = newTat - tolerance
  local plan = { allowed = 0, retry = 0 }
  if allowAt <= nowUs then
    plan.allowed = 1
  else
    plan.retry = math.ceil((allowAt - nowUs) / 1000)
  end
  function plan.commit()
    if cost > 0 then
      local reset = math.ceil((newTat - nowUs) / 1000)
      redis.call('SET', key, string.format('%.0f', newTat), 'PX', math.max(1, reset))
    end
    tat = newTat
  end
  function plan.report()
    return math.floor((tolerance - (tat - nowUs)) / interval), math.ceil((tat - nowUs) / 1000)
  end
  return plan
end

local plans = {}
local all = 1
for i = 1, #KEYS do
  local at = 2 + 5 * (i - 1)
  local algorithm = ARGV[at]
  local limit = tonumber(ARGV[at + 1])
  local window = tonumber(ARGV[at + 2])
  local burst = tonumber(ARGV[at + 3])
  local cost = tonumber(ARGV[at + 4])
  local plan
  if algorithm == 'sliding-log' then
    plan = sliding_log(KEYS[i], limit, window, cost)
  elseif algorithm == 'sliding-counter' then
    plan = sliding_counter(KEYS[i], limit, window, cost)
  elseif algorithm == 'gcra' then
    plan = gcra(KEYS[i], limit, window, burst, cost)
  else
    return redis.error_reply('limiter-set.lua: no shared decision for algorithm ' .. tostring(algorithm))
  end
  plans[i] = plan
  if plan.allowed == 0 then
    all = 0
  end
end

local out = { all, now }
for i = 1, #plans do
  local plan = plans[i]
  if all == 1 then
    plan.commit()
  end
  local remaining, reset = plan.report()
  out[#out + 1] = plan.allowed
  out[#out + 1] = remaining
  out[#out + 1] = reset
  out[#out + 1] = plan.retry
end
return out
