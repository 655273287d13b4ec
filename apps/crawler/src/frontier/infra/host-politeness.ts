import {
  createLimiter,
  LocalSlidingLog,
  systemClock,
  type Limiter,
  type RedisClient,
} from '@suite/coordination';
import type { Politeness } from '../../workers/frontier-worker';

// Per-host politeness shared by every worker: the library's sliding-window log in Redis, one
// request per window per host. A window is the crawl's interval plus the guard, so one policy
// per window length; the key is the host, so two crawls with one interval share a host's
// window. Redis unreachable: closed, the host waits (never a burst on a lost count).
export class SharedHostPoliteness implements Politeness {
  private readonly limiters = new Map<number, Limiter>();

  constructor(private readonly redis: RedisClient) {}

  async check(_crawlId: string, host: string, windowMs: number) {
    const decision = await this.limiterFor(windowMs).check(host);
    return { allowed: decision.allowed, retryAfterMs: decision.retryAfterMs };
  }

  private limiterFor(windowMs: number): Limiter {
    let limiter = this.limiters.get(windowMs);
    if (!limiter) {
      limiter = createLimiter({
        redis: this.redis,
        policy: {
          name: `crawler.host.${windowMs}ms`,
          algorithm: 'sliding-log',
          limit: 1,
          windowMs: Math.max(1, windowMs),
          failure: 'closed',
        },
        timeoutMs: 500,
      });
      this.limiters.set(windowMs, limiter);
    }
    return limiter;
  }
}

// FOR TESTS ONLY (naive mode): the same window kept in this process alone, so two workers
// each admit a request to one host within one window.
export class PerWorkerHostPoliteness implements Politeness {
  private readonly logs = new Map<number, LocalSlidingLog>();

  check(_crawlId: string, host: string, windowMs: number) {
    let log = this.logs.get(windowMs);
    if (!log) {
      log = new LocalSlidingLog({ limit: 1, windowMs: Math.max(1, windowMs), clock: systemClock });
      this.logs.set(windowMs, log);
    }
    const decision = log.check(host);
    return Promise.resolve({ allowed: decision.allowed, retryAfterMs: decision.retryAfterMs });
  }
}
