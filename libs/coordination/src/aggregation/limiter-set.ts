import { Cluster } from 'ioredis';
import type { Clock } from '../clock/clock';
import { LuaScript, type RedisClient } from '../redis/lua-script';
import {
  limiterStateKey,
  RedisLimiter,
  withTimeout,
  type RateLimitDecision,
  type ScriptReply,
} from './limiter';
import type { RateLimitPolicy } from './policy';

const script = LuaScript.fromFile(__dirname, 'limiter-set.lua', ['window-lib.lua']);

// One policy's part of a request: its name, the client key it counts, the units it takes.
export interface PolicyCheck {
  policy: string;
  key: string;
  // Default 1.
  cost?: number;
}

// How the decisions were taken:
// - together: one script for every policy, all or nothing (a refused request spent nothing);
// - in-turn: one policy at a time in the order given, stopping at the first refusal (the
//   policies before it, which admitted, have spent): on a Redis Cluster when the keys are in
//   different slots, with the naive fixed window, and while Redis is unusable (the
//   in-process fallbacks cannot be asked without spending).
export type LimiterSetMode = 'together' | 'in-turn';

export interface LimiterSetDecision {
  allowed: boolean;
  // One per check, in the order given; in-turn, only those asked before the first refusal.
  decisions: RateLimitDecision[];
  mode: LimiterSetMode;
}

export interface LimiterSet {
  readonly policies: readonly RateLimitPolicy[];
  check(checks: readonly PolicyCheck[], options?: { nowMs?: number }): Promise<LimiterSetDecision>;
}

export interface CreateLimiterSetOptions {
  redis: RedisClient;
  policies: readonly RateLimitPolicy[];
  // As createLimiter's: the whole set's decision waits this long for Redis at most.
  timeoutMs?: number;
  recheckMs?: number;
  clock?: Clock;
}

// Several policies over one Redis, each with the semantics of createLimiter's limiter of the
// same policy (the same keys, window math and failure policy), decided for one request in
// one round trip: what a gateway needs when a request counts against a per-user limit and a
// per-route one. Counts in the same windows as single limiters of the same policies.
export function createLimiterSet(options: CreateLimiterSetOptions): LimiterSet {
  return new RedisLimiterSet(options);
}

class RedisLimiterSet implements LimiterSet {
  readonly policies: readonly RateLimitPolicy[];
  private readonly limiters = new Map<string, RedisLimiter>();
  private readonly redis: RedisClient;
  private readonly timeoutMs: number;

  constructor(options: CreateLimiterSetOptions) {
    this.redis = options.redis;
    this.timeoutMs = options.timeoutMs ?? 100;
    for (const policy of options.policies) {
      const limiter = new RedisLimiter({ ...options, policy });
      if (this.limiters.has(limiter.policy.name)) {
        throw new RangeError(`two policies are named ${limiter.policy.name}`);
      }
      this.limiters.set(limiter.policy.name, limiter);
    }
    this.policies = [...this.limiters.values()].map((l) => l.policy);
  }

  async check(
    checks: readonly PolicyCheck[],
    options: { nowMs?: number } = {},
  ): Promise<LimiterSetDecision> {
    const asked = this.arguments(checks, options.nowMs);
    if (asked.length === 0) return { allowed: true, decisions: [], mode: 'together' };
    if (!this.together(asked)) return this.inTurn(asked, options.nowMs);
    // The set's limiters fail together (one Redis); each keeps its own failure policy.
    if (asked.every(({ limiter }) => limiter.redisUsable())) {
      try {
        return await this.runTogether(asked, options.nowMs);
      } catch {
        asked.forEach(({ limiter }) => limiter.redisFailed());
      }
    }
    return this.inTurn(asked, options.nowMs);
  }

  private arguments(checks: readonly PolicyCheck[], nowMs: number | undefined): Asked[] {
    const seen = new Set<string>();
    return checks.map((check) => {
      const limiter = this.limiters.get(check.policy);
      if (limiter === undefined) throw new RangeError(`no policy named ${check.policy}`);
      const cost = limiter.checkArguments(check.key, { cost: check.cost, nowMs });
      // Two checks of one key would each see the state without the other's cost.
      const id = `${check.policy}\n${check.key}`;
      if (seen.has(id)) throw new RangeError(`${check.policy} is asked twice for one key`);
      seen.add(id);
      return { limiter, key: check.key, cost };
    });
  }

  // One script needs every key in one slot, and no naive fixed window (its key comes from
  // the caller's clock and it counts refused units too).
  private together(asked: readonly Asked[]): boolean {
    if (asked.some(({ limiter }) => limiter.policy.algorithm === 'fixed-window')) return false;
    return asked.length === 1 || !(this.redis instanceof Cluster);
  }

  private async runTogether(
    asked: readonly Asked[],
    nowMs: number | undefined,
  ): Promise<LimiterSetDecision> {
    const keys = asked.map(({ limiter, key }) => limiterStateKey(limiter.policy, key, 0));
    const args: (string | number)[] = [nowMs ?? ''];
    for (const { limiter, cost } of asked) {
      const { policy } = limiter;
      args.push(policy.algorithm, policy.limit, policy.windowMs, limiter.capacity, cost);
    }
    const reply = await withTimeout(script.run<number[]>(this.redis, keys, args), this.timeoutMs);
    const [all, now] = reply as [number, number];
    const decisions = asked.map(({ limiter }, i) => {
      const [allowed, remaining, resetMs, retryAfterMs] = reply.slice(2 + 4 * i, 6 + 4 * i);
      return limiter.decision(
        [allowed, remaining, resetMs, retryAfterMs, now] as ScriptReply,
        'redis',
      );
    });
    return { allowed: all === 1, decisions, mode: 'together' };
  }

  private async inTurn(
    asked: readonly Asked[],
    nowMs: number | undefined,
  ): Promise<LimiterSetDecision> {
    const decisions: RateLimitDecision[] = [];
    for (const { limiter, key, cost } of asked) {
      const decision = await limiter.check(key, {
        cost,
        ...(nowMs !== undefined ? { nowMs } : {}),
      });
      decisions.push(decision);
      if (!decision.allowed) return { allowed: false, decisions, mode: 'in-turn' };
    }
    return { allowed: true, decisions, mode: 'in-turn' };
  }
}

interface Asked {
  limiter: RedisLimiter;
  key: string;
  cost: number;
}
