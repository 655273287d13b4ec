import { systemClock, type Clock } from '../clock/clock';
import type { FencedHolds } from './fenced-holds';

export interface Lease {
  name: string;
  owner: string;
  // Pass it to every fenced write the leader makes (checkFence / fencedWrite).
  token: number;
  // When the leader stops considering itself leader unless it renews: last renewal + ttl - margin.
  validUntil: number;
}

export type DemotionReason =
  // A renewal found the lease expired or taken by another owner.
  | 'lost'
  // No renewal succeeded within ttl - margin (Redis slow or unreachable, process paused).
  | 'renewal-deadline'
  // stop() was called; the lease was released.
  | 'stopped';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LeaderElectorOptions {
  holds: Pick<FencedHolds, 'acquire' | 'extend' | 'release'>;
  // What is led, e.g. 'outbox-relay:shard-3'. Electors with the same name compete.
  name: string;
  // Unique per process instance.
  owner: string;
  ttlMs: number;
  // Default ttl / 3.
  renewEveryMs?: number;
  // Covers clock drift and the round trip of a renewal. Default ttl / 5.
  safetyMarginMs?: number;
  // How often a follower tries again when Redis is unreachable. Default ttl / 3.
  retryEveryMs?: number;
  clock?: Clock;
  timers?: Timers;
  onElected?(lease: Lease): void;
  onDemoted?(reason: DemotionReason): void;
  // Redis errors, and exceptions thrown by the callbacks or the leading loop. Default: ignored.
  onError?(error: unknown): void;
}

// The work a leader does during one term: it runs from the election until `signal` aborts
// (demotion or stop()), and should return soon after. Writes it makes are fenced with
// lease.token; the signal only stops the loop, the token is what keeps a late write out.
export type LeadingLoop = (lease: Lease, signal: AbortSignal) => Promise<void>;

const RESOURCE = 'leader';

// One leader per name, on a fenced lease. The leader renews every renewEveryMs and considers
// itself demoted once ttl - margin has passed since the start of its last successful renewal,
// whether or not Redis answers, so it stops before the lease can expire in Redis (clock drift
// within the margin). Its token is the safety net for everything the margin does not cover.
export class LeaderElector {
  private readonly holds: LeaderElectorOptions['holds'];
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly renewEveryMs: number;
  private readonly marginMs: number;
  private readonly retryEveryMs: number;
  private running = false;
  private lease: Lease | undefined;
  // Bumped whenever leadership starts or ends, so a reply from an older term is ignored.
  private term = 0;
  // Bumped by stop(), so a campaign from before a stop() then start() cannot elect us a
  // second time: only the campaigns of the current run may begin a term.
  private run = 0;
  // The release of the last stop(), which a new campaign waits for: otherwise it could land
  // after the new acquire (same owner) and delete the new term's lease.
  private resigning: Promise<unknown> = Promise.resolve();
  private stepTimer: unknown;
  private deadlineTimer: unknown;
  private loop: LeadingLoop | undefined;
  // Aborts the current term's loop.
  private leading: AbortController | undefined;
  // Every term's loop, chained: one starts only after the previous term's has returned, so
  // at most one runs at a time, and stop() can wait for the last.
  private looping: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectorOptions) {
    const { ttlMs } = options;
    this.holds = options.holds;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(ttlMs / 3);
    this.marginMs = options.safetyMarginMs ?? Math.floor(ttlMs / 5);
    this.retryEveryMs = options.retryEveryMs ?? Math.floor(ttlMs / 3);
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be > 0');
    if (this.marginMs < 0 || this.renewEveryMs <= 0 || this.retryEveryMs <= 0) {
      throw new RangeError('renewEveryMs and retryEveryMs must be > 0, safetyMarginMs >= 0');
    }
    // At least one renewal must be attempted before the leader gives itself up.
    if (this.renewEveryMs >= ttlMs - this.marginMs) {
      throw new RangeError(
        `renewEveryMs (${this.renewEveryMs}) must be below ttlMs - safetyMarginMs (${ttlMs - this.marginMs})`,
      );
    }
  }

  // Run `loop` during every term this elector leads. Set it before start(); one per elector.
  whileLeading(loop: LeadingLoop): this {
    if (this.loop)
      throw new Error(`LeaderElector ${this.options.name}: whileLeading was already set`);
    if (this.running)
      throw new Error(`LeaderElector ${this.options.name}: set whileLeading before start()`);
    this.loop = loop;
    return this;
  }

  // Campaign: try now, then keep trying until elected; renew while elected.
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0, () => this.campaign());
  }

  // Resign: stop campaigning and renewing, end the leading loop, release the lease if held.
  // Returns once the loop has returned too, so no work of a term runs after stop(), however
  // many callers wait for it.
  async stop(): Promise<void> {
    if (!this.running) return this.looping;
    this.running = false;
    this.run++;
    this.timers.clearTimeout(this.stepTimer);
    const lease = this.lease;
    this.endTerm('stopped');
    if (lease) {
      this.resigning = this.holds
        .release({ scope: scopeOf(lease.name), resources: [RESOURCE], owner: lease.owner })
        .catch((error: unknown) => this.report(error));
      await this.resigning;
    }
    await this.looping;
  }

  isLeader(): boolean {
    return this.lease !== undefined && this.clock.now() < this.lease.validUntil;
  }

  currentToken(): number | undefined {
    return this.isLeader() ? this.lease?.token : undefined;
  }

  private async campaign(): Promise<void> {
    const run = this.run;
    await this.resigning;
    if (run !== this.run) return;
    const term = this.term;
    const startedAt = this.clock.now();
    const request = {
      scope: scopeOf(this.options.name),
      resources: [RESOURCE],
      owner: this.options.owner,
      ttlMs: this.options.ttlMs,
    };
    try {
      const result = await this.holds.acquire(request);
      if (run !== this.run || term !== this.term) {
        // Stopped while the request was in flight: give back what we may have won, unless
        // we campaign again, in which case the lease (same owner) is the new campaign's.
        if (result.ok && !this.running) {
          await this.holds.release(request).catch((e: unknown) => this.report(e));
        }
        return;
      }
      if (result.ok) {
        this.beginTerm(result.hold.tokens[RESOURCE] ?? 0, startedAt);
      } else {
        // Try again when the current leader's lease would run out, or sooner.
        this.schedule(Math.min(this.retryEveryMs, result.retryAfterMs + 1), () => this.campaign());
      }
    } catch (error) {
      this.report(error);
      if (this.running && run === this.run && term === this.term) {
        this.schedule(this.retryEveryMs, () => this.campaign());
      }
    }
  }

  private async renew(): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    const term = this.term;
    const startedAt = this.clock.now();
    // Late timer (a paused process): past the deadline there is nothing left to renew.
    if (startedAt >= lease.validUntil) {
      this.endTerm('renewal-deadline');
      return;
    }
    try {
      const result = await this.holds.extend({
        scope: scopeOf(lease.name),
        resources: [RESOURCE],
        owner: lease.owner,
        ttlMs: this.options.ttlMs,
      });
      if (term !== this.term) return;
      if (!result.ok) {
        this.endTerm('lost');
        return;
      }
      // The lease now runs until at least startedAt + ttl on Redis's side; keep the margin.
      lease.validUntil = startedAt + this.options.ttlMs - this.marginMs;
      this.armDeadline();
      this.schedule(this.renewEveryMs, () => this.renew());
    } catch (error) {
      this.report(error);
      if (term !== this.term) return;
      // Keep trying until the deadline timer demotes us.
      const left = lease.validUntil - this.clock.now();
      this.schedule(Math.max(1, Math.min(this.renewEveryMs, Math.floor(left / 2))), () =>
        this.renew(),
      );
    }
  }

  private beginTerm(token: number, startedAt: number): void {
    this.term++;
    this.lease = {
      name: this.options.name,
      owner: this.options.owner,
      token,
      validUntil: startedAt + this.options.ttlMs - this.marginMs,
    };
    this.armDeadline();
    this.schedule(this.renewEveryMs, () => this.renew());
    if (this.loop) this.lead(this.loop, { ...this.lease });
    this.call(() => this.options.onElected?.({ ...(this.lease as Lease) }));
  }

  private lead(loop: LeadingLoop, lease: Lease): void {
    const leading = new AbortController();
    this.leading = leading;
    this.looping = this.looping.then(async () => {
      // A term that ended while the previous term's loop was still returning runs nothing.
      if (leading.signal.aborted) return;
      try {
        await loop(lease, leading.signal);
      } catch (error) {
        this.report(error);
      }
    });
  }

  private endTerm(reason: DemotionReason): void {
    if (!this.lease) return;
    this.term++;
    this.lease = undefined;
    this.timers.clearTimeout(this.deadlineTimer);
    this.timers.clearTimeout(this.stepTimer);
    this.leading?.abort();
    this.leading = undefined;
    this.call(() => this.options.onDemoted?.(reason));
    if (this.running) this.schedule(0, () => this.campaign());
  }

  private armDeadline(): void {
    const lease = this.lease;
    if (!lease) return;
    this.timers.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.timers.setTimeout(
      () => this.endTerm('renewal-deadline'),
      Math.max(0, lease.validUntil - this.clock.now()),
    );
  }

  private schedule(ms: number, step: () => Promise<void>): void {
    this.timers.clearTimeout(this.stepTimer);
    this.stepTimer = this.timers.setTimeout(() => void step(), ms);
  }

  private call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }
}

function scopeOf(name: string): string {
  return `leader:${name}`;
}
