import { systemClock, type Clock } from '../clock/clock';
import { LuaScript, type RedisClient } from '../redis/lua-script';
import { LocalSlidingLog } from './local-sliding-log';
import { parseRateLimitPolicy, type RateLimitPolicy } from './policy';
import { fixedWindowIndex } from './window-math';

// The clock and the sliding counter's window math, shared by the decisions and the peek.
const WINDOW_LIB = ['window-lib.lua'];
const scripts = {
  'sliding-log': LuaScript.fromFile(__dirname, 'sliding-log.lua', WINDOW_LIB),
  'sliding-counter': LuaScript.fromFile(__dirname, 'sliding-counter.lua', WINDOW_LIB),
  gcra: LuaScript.fromFile(__dirname, 'gcra.lua', WINDOW_LIB),
  'fixed-window': LuaScript.fromFile(__dirname, 'fixed-window.lua'),
} as const;
const peekScript = LuaScript.fromFile(__dirname, 'peek.lua', WINDOW_LIB);

// Which path decided: the shared Redis count, the in-process fallback limiter, or the
// policy's failure mode alone (open: admit, closed: deny) while Redis is unusable.
export type DecisionSource = 'redis' | 'fallback' | 'failure-policy';

export interface RateLimitDecision {
  allowed: boolean;
  policy: string;
  limit: number;
  // Units still free after this decision.
  remaining: number;
  // Ms until the full limit is free again if nothing more is admitted.
  resetMs: number;
  // 0 when allowed; otherwise ms until a request of the same cost would be admitted.
  retryAfterMs: number;
  source: DecisionSource;
  // The time the decision was taken at: Redis TIME (or the nowMs override) for 'redis',
  // the limiter's clock otherwise.
  nowMs: number;
}

export interface CheckOptions {
  // Units this request takes; default 1. 0 reads the state without spending.
  cost?: number;
  // Decide as of this time instead of Redis TIME, for deterministic tests and replays.
  nowMs?: number;
}

// What a key has spent under the policy now, read without spending or changing anything.
export interface RateLimitUsage {
  policy: string;
  limit: number;
  // Units counted against the key now. Sliding counter: the weighted count, rounded up.
  // GCRA: the units its TAT runs ahead of now, rounded up.
  used: number;
  // The largest cost a check would admit now.
  remaining: number;
  // Ms until the full limit is free again if nothing more is admitted.
  resetMs: number;
  // The time the usage was read at: Redis TIME (the fixed window: this process's clock,
  // which names its window), or the nowMs override.
  nowMs: number;
}

export interface PeekOptions {
  // Read as of this time instead of Redis TIME, for deterministic tests and replays.
  nowMs?: number;
}

export interface Limiter {
  readonly policy: RateLimitPolicy;
  check(key: string, options?: CheckOptions): Promise<RateLimitDecision>;
  // Read-only. Rejects when Redis cannot answer within timeoutMs: a read has no fallback
  // and no failure policy, since the shared count is the only truth there is.
  peek(key: string, options?: PeekOptions): Promise<RateLimitUsage>;
}

export interface CreateLimiterOptions {
  redis: RedisClient;
  // Plain data (e.g. from a config file), validated here against rateLimitPolicySchema.
  policy: RateLimitPolicy;
  // How long one decision may wait for Redis before the failure policy decides.
  timeoutMs?: number;
  // After a Redis failure, requests skip Redis for this long, then try it again.
  recheckMs?: number;
  clock?: Clock;
}

// {allowed 0|1, remaining, resetMs, retryAfterMs, nowMs}, as every decision script returns.
export type ScriptReply = [number, number, number, number, number];
type PeekReply = [number, number, number, number];

export function createLimiter(options: CreateLimiterOptions): Limiter {
  return new RedisLimiter(options);
}

// Redis cluster-safe: every key of one (policy, key) pair shares the hash tag
// {policy:key}, so each script touches one slot.
export function limiterKeyBase(policy: string, key: string): string {
  return `rl:{${policy}:${key}}`;
}

// The one key an algorithm keeps a client's state in. The decision and the peek both take
// it from here, so a read always looks where the last decision wrote. Only the fixed
// window's key depends on `atMs`, the caller's clock: it names the window. The limiter set
// (limiter-set.ts) names its keys here too.
export function limiterStateKey(policy: RateLimitPolicy, key: string, atMs: number): string {
  const base = limiterKeyBase(policy.name, key);
  switch (policy.algorithm) {
    case 'sliding-log':
      return `${base}:log`;
    case 'sliding-counter':
      return `${base}:sc`;
    case 'gcra':
      return `${base}:gcra`;
    case 'fixed-window':
      return `${base}:fw:${fixedWindowIndex(atMs, policy.windowMs)}`;
  }
}

// Exported for the limiter set (limiter-set.ts), which decides several policies in one
// script and takes each policy's checks, degraded path and reply mapping from here.
export class RedisLimiter implements Limiter {
  readonly policy: RateLimitPolicy;
  private readonly redis: RedisClient;
  private readonly timeoutMs: number;
  private readonly recheckMs: number;
  private readonly clock: Clock;
  readonly capacity: number;
  private readonly fallback: LocalSlidingLog | undefined;
  private redisDownUntil = 0;

  constructor(options: CreateLimiterOptions) {
    this.policy = parseRateLimitPolicy(options.policy);
    this.redis = options.redis;
    this.timeoutMs = options.timeoutMs ?? 100;
    this.recheckMs = options.recheckMs ?? 500;
    this.clock = options.clock ?? systemClock;
    this.capacity =
      this.policy.algorithm === 'gcra'
        ? (this.policy.burst ?? this.policy.limit)
        : this.policy.limit;
    const { fallback } = this.policy;
    this.fallback = fallback
      ? new LocalSlidingLog({
          limit: fallback.limit,
          windowMs: fallback.windowMs ?? this.policy.windowMs,
          clock: this.clock,
        })
      : undefined;
  }

  async check(key: string, options: CheckOptions = {}): Promise<RateLimitDecision> {
    const cost = this.checkArguments(key, options);
    if (this.redisUsable()) {
      try {
        const reply = await withTimeout(this.runScript(key, cost, options.nowMs), this.timeoutMs);
        return this.decision(reply, 'redis');
      } catch {
        // Redis is broken or too slow: the failure policy decides, never a throw.
        this.redisFailed();
      }
    }
    return this.degraded(key, cost, options.nowMs);
  }

  // The cost to spend. Bad arguments are the caller's bug, not a denial: a throw.
  checkArguments(key: string, options: CheckOptions): number {
    const cost = options.cost ?? 1;
    if (!Number.isInteger(cost) || cost < 0 || cost > this.capacity) {
      throw new RangeError(
        `cost must be an integer from 0 to ${this.capacity} for policy ${this.policy.name}, got ${cost}`,
      );
    }
    checkKeyAndTime(key, options.nowMs);
    return cost;
  }

  redisUsable(): boolean {
    return this.clock.now() >= this.redisDownUntil;
  }

  // After a failure, skip Redis for recheckMs.
  redisFailed(): void {
    this.redisDownUntil = this.clock.now() + this.recheckMs;
  }

  async peek(key: string, options: PeekOptions = {}): Promise<RateLimitUsage> {
    checkKeyAndTime(key, options.nowMs);
    const { policy } = this;
    // As in check(): the fixed window is named by this process's clock; the others read
    // Redis TIME unless told the time.
    const at =
      options.nowMs ?? (policy.algorithm === 'fixed-window' ? this.clock.now() : undefined);
    const [used, remaining, resetMs, nowMs] = await withTimeout(
      peekScript.run<PeekReply>(
        this.redis,
        [limiterStateKey(policy, key, at ?? 0)],
        [at ?? '', policy.algorithm, policy.limit, policy.windowMs, this.capacity],
      ),
      this.timeoutMs,
    );
    return { policy: policy.name, limit: policy.limit, used, remaining, resetMs, nowMs };
  }

  private runScript(key: string, cost: number, nowMs: number | undefined): Promise<ScriptReply> {
    const { policy } = this;
    const now = nowMs === undefined ? '' : nowMs;
    switch (policy.algorithm) {
      case 'sliding-log':
        return scripts['sliding-log'].run(
          this.redis,
          [limiterStateKey(policy, key, 0)],
          [now, policy.limit, policy.windowMs, cost],
        );
      case 'sliding-counter':
        return scripts['sliding-counter'].run(
          this.redis,
          [limiterStateKey(policy, key, 0)],
          [now, policy.limit, policy.windowMs, cost],
        );
      case 'gcra':
        return scripts.gcra.run(
          this.redis,
          [limiterStateKey(policy, key, 0)],
          [now, policy.limit, policy.windowMs, policy.burst ?? policy.limit, cost],
        );
      case 'fixed-window': {
        // Naive on purpose: the window comes from this process's clock.
        const at = nowMs ?? this.clock.now();
        return scripts['fixed-window'].run(
          this.redis,
          [limiterStateKey(policy, key, at)],
          [at, policy.limit, policy.windowMs, cost],
        );
      }
    }
  }

  // A decision from Redis's {allowed, remaining, resetMs, retryAfterMs, nowMs}.
  decision(reply: ScriptReply, source: DecisionSource): RateLimitDecision {
    const [allowed, remaining, resetMs, retryAfterMs, nowMs] = reply;
    return {
      allowed: allowed === 1,
      policy: this.policy.name,
      limit: this.policy.limit,
      remaining,
      resetMs,
      retryAfterMs,
      source,
      nowMs,
    };
  }

  // What the failure policy decides while Redis is unusable.
  degraded(key: string, cost: number, nowMs: number | undefined): RateLimitDecision {
    const now = nowMs ?? this.clock.now();
    const base = { policy: this.policy.name, nowMs: now };
    if (this.fallback) {
      const local = this.fallback.check(key, cost, now);
      return { ...base, ...local, limit: this.fallback.limit, source: 'fallback' };
    }
    if (this.policy.failure === 'open') {
      return {
        ...base,
        allowed: true,
        limit: this.policy.limit,
        remaining: this.policy.limit - cost,
        resetMs: 0,
        retryAfterMs: 0,
        source: 'failure-policy',
      };
    }
    // Closed: deny until Redis is tried again.
    const wait = Math.max(1, this.redisDownUntil - this.clock.now());
    return {
      ...base,
      allowed: false,
      limit: this.policy.limit,
      remaining: 0,
      resetMs: wait,
      retryAfterMs: wait,
      source: 'failure-policy',
    };
  }
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // A late reply or rejection after the timeout is dropped here. The script may still
    // run later (ioredis queues commands while it reconnects) and then count a unit that
    // the failure policy also decided on: the shared count errs on the strict side.
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// Bad arguments are the caller's bug: thrown, never a denial.
function checkKeyAndTime(key: string, nowMs: number | undefined): void {
  if (key.length === 0) throw new RangeError('rate-limit key must not be empty');
  if (nowMs !== undefined && !Number.isSafeInteger(nowMs)) {
    throw new RangeError(`nowMs must be an integer of ms, got ${nowMs}`);
  }
}
