import { join } from 'node:path';
import { fixedWindowIndex, limiterKeyBase, LuaScript, type RedisClient } from '@suite/coordination';
import type { ActivePolicy } from '../../policies/domain/policy-set';

const usageScript = LuaScript.fromFile(join(__dirname), 'usage.lua');

export interface PolicyUsage {
  used: number;
  remaining: number;
  resetMs: number;
  // Redis TIME when the usage was read.
  nowMs: number;
}

// The state keys the aggregation library's limiters write (see its README's runbook).
function stateKey(policy: ActivePolicy, key: string, nowMs: number): string {
  const base = limiterKeyBase(policy.name, key);
  const { algorithm, windowMs } = policy.definition;
  switch (algorithm) {
    case 'sliding-log':
      return `${base}:log`;
    case 'sliding-counter':
      return `${base}:sc`;
    case 'gcra':
      return `${base}:gcra`;
    case 'fixed-window':
      // The naive limiter names the window from its caller's clock; so does this reader.
      return `${base}:fw:${fixedWindowIndex(nowMs, windowMs)}`;
  }
}

export async function readUsage(
  redis: RedisClient,
  policy: ActivePolicy,
  key: string,
  nowMs = Date.now(),
): Promise<PolicyUsage> {
  const { algorithm, limit, windowMs } = policy.definition;
  const [used, remaining, resetMs, redisNowMs] = await usageScript.run<
    [number, number, number, number]
  >(redis, [stateKey(policy, key, nowMs)], [algorithm, limit, windowMs, policy.capacity]);
  return { used, remaining, resetMs, nowMs: redisNowMs };
}
