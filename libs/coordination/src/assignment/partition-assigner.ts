import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock/clock';
import type { RedisClient } from '../redis/lua-script';
import type { EpochSource } from '../selection/epochs';
import { FencedHolds } from '../selection/fenced-holds';
import type { Timers } from '../selection/leader-elector';
import { Membership, validateGroup, validateMemberId } from './membership';
import { partitionsFor } from './rendezvous';

// A fencing token from the selection mechanism (epoch * 2^32 + counter): it only grows for a
// partition, across owners and across a Redis restart (ADR 0003). Pass it to the fenced write.
export type FencingToken = number;

export type OwnedPartitions = ReadonlyMap<number, FencingToken>;

export type AssignmentListener = (owned: OwnedPartitions) => void;

export interface PartitionAssignerOptions {
  redis: RedisClient;
  // The service that owns the group (e.g. 'scheduler'): every key lives under it (ADR 0004).
  namespace: string;
  // Where an epoch comes from when Redis has lost a partition's counters (PostgresEpochs).
  epochs: EpochSource;
  // The members that share one set of partitions (e.g. 'jobs').
  group: string;
  // Unique per live process. A process restarted under the same id is a new claimant: its
  // former claims are not reused, they expire or are taken over with higher tokens.
  memberId: string;
  // How many partitions the work is split into; fixed for the life of the group.
  partitions: number;
  // Membership and claim lease. Default 3000.
  leaseMs?: number;
  // How often a member renews its lease, reads the members and rebalances. Default 1000.
  heartbeatMs?: number;
  // A claim is given up locally this long before its lease can expire in Redis, to cover
  // clock drift and the renewal's round trip. Default leaseMs / 5.
  safetyMarginMs?: number;
  clock?: Clock;
  timers?: Timers;
  // Redis errors and listener exceptions. Default: ignored.
  onError?(error: unknown): void;
}

interface Claim {
  token: FencingToken;
  // Local time after which the member no longer acts on the partition unless renewed.
  validUntil: number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// The scope of a group's claims in FencedHolds, and the fence resource of one partition in
// coordination_fences (the `${scope}/${resource}` convention of selection).
export function claimScope(group: string): string {
  return `assignment.${group}`;
}
function claimResource(partition: number): string {
  return `p${partition}`;
}
export function partitionFenceResource(group: string, partition: number): string {
  return `${claimScope(group)}/${claimResource(partition)}`;
}

// Splits `partitions` partitions among the live members of a group by rendezvous hashing,
// and holds a fenced claim (a FencedHolds lease) on each partition this member owns. A
// member acts on a partition only while owned() lists it, and passes the token to every
// storage write it makes for it (fencedPartitionWrite), so a paused former owner is refused.
//
// Each heartbeat (one tick) renews membership and reads the live members, hands back the
// partitions that now belong to someone else, renews the claims it keeps, and claims the
// partitions it should own and does not. Ticks never overlap.
export class PartitionAssigner {
  readonly group: string;
  readonly memberId: string;
  readonly partitions: number;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  private readonly marginMs: number;
  private readonly holds: FencedHolds;
  private readonly membership: Membership;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly onError: (error: unknown) => void;
  // The holder name in Redis: the member id plus a per-instance nonce, so two instances (a
  // restarted process under the same id) never mistake each other's claims for their own.
  private readonly claimant: string;
  private readonly scope: string;
  private readonly claims = new Map<number, Claim>();
  private readonly listeners = new Set<AssignmentListener>();
  private lastMembers: readonly string[] = [];
  private lastSignature = '';
  private running = false;
  private timer: unknown;
  private ticking: Promise<void> = Promise.resolve();

  constructor(options: PartitionAssignerOptions) {
    validateGroup(options.group);
    validateMemberId(options.memberId);
    const { partitions } = options;
    if (!Number.isSafeInteger(partitions) || partitions < 1 || partitions > 65_536) {
      throw new RangeError(`partitions must be an integer in 1..65536, got ${partitions}`);
    }
    this.group = options.group;
    this.memberId = options.memberId;
    this.partitions = partitions;
    this.leaseMs = options.leaseMs ?? 3000;
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.marginMs = options.safetyMarginMs ?? Math.floor(this.leaseMs / 5);
    if (!Number.isSafeInteger(this.leaseMs) || this.leaseMs <= 0) {
      throw new RangeError(`leaseMs must be a positive integer, got ${this.leaseMs}`);
    }
    if (!Number.isSafeInteger(this.heartbeatMs) || this.heartbeatMs <= 0) {
      throw new RangeError(`heartbeatMs must be a positive integer, got ${this.heartbeatMs}`);
    }
    if (this.marginMs < 0) throw new RangeError('safetyMarginMs must be >= 0');
    // At least one renewal must be tried before a claim lapses locally.
    if (this.heartbeatMs >= this.leaseMs - this.marginMs) {
      throw new RangeError(
        `heartbeatMs (${this.heartbeatMs}) must be below leaseMs - safetyMarginMs (${this.leaseMs - this.marginMs})`,
      );
    }
    this.holds = new FencedHolds({
      namespace: options.namespace,
      redis: options.redis,
      epochs: options.epochs,
      clock: options.clock,
    });
    this.membership = new Membership({
      redis: options.redis,
      namespace: options.namespace,
      group: options.group,
    });
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.onError = options.onError ?? (() => undefined);
    this.claimant = `${options.memberId}#${randomBytes(4).toString('hex')}`;
    this.scope = claimScope(options.group);
  }

  // Joins the group and makes the first claims before it resolves; then ticks every
  // heartbeatMs until stop(). Rejects (and stays stopped) if Redis cannot be reached.
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const first = this.tick();
    this.ticking = first.catch(() => undefined);
    try {
      await first;
    } catch (error) {
      this.running = false;
      throw error;
    }
    this.emitIfChanged();
    this.schedule();
  }

  // The partitions this member may act on now, with their tokens. A claim leaves this map
  // safetyMarginMs before its lease could expire in Redis, whether or not a tick has run.
  owned(): OwnedPartitions {
    const now = this.clock.now();
    const owned = new Map<number, FencingToken>();
    for (const [partition, claim] of [...this.claims].sort((a, b) => a[0] - b[0])) {
      if (now < claim.validUntil) owned.set(partition, claim.token);
    }
    return owned;
  }

  // The live members as this member last read them (sorted by id).
  members(): readonly string[] {
    return this.lastMembers;
  }

  // Called with the new owned map after each change (a tick that gave up, lost or gained a
  // partition, or a new token). Returns a function that removes the listener.
  onChange(listener: AssignmentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Stops ticking, gives up every claim and leaves the group, so the other members take the
  // partitions over at their next heartbeat instead of after a lease.
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.timers.clearTimeout(this.timer);
    await this.ticking;
    const giving = [...this.claims.keys()];
    this.claims.clear();
    this.emitIfChanged();
    try {
      if (giving.length > 0) {
        await this.holds.release({
          scope: this.scope,
          resources: giving.map(claimResource),
          owner: this.claimant,
        });
      }
      await this.membership.leave(this.memberId);
    } catch (error) {
      // Unreleased claims and the membership entry simply expire after one lease.
      this.onError(error);
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.onError(error))
        .finally(() => {
          this.dropLapsed();
          this.emitIfChanged();
          this.schedule();
        });
    }, this.heartbeatMs);
  }

  private async tick(): Promise<void> {
    const members = await this.membership.heartbeat(this.memberId, this.leaseMs);
    if (!this.running) return;
    this.lastMembers = members;
    this.dropLapsed();
    const desired = new Set(partitionsFor(this.memberId, members, this.partitions));

    // Hand over first, and tell the listeners before the claims are released, so this member
    // has stopped acting on a partition before its next owner can claim it.
    const giving = [...this.claims.keys()].filter((p) => !desired.has(p));
    if (giving.length > 0) {
      giving.forEach((p) => this.claims.delete(p));
      this.emitIfChanged();
      await this.holds.release({
        scope: this.scope,
        resources: giving.map(claimResource),
        owner: this.claimant,
      });
    }

    await this.renew([...this.claims.keys()]);

    const wanted = [...desired].filter((p) => !this.claims.has(p));
    await Promise.all(wanted.map((p) => this.claim(p)));
  }

  // One call for every kept claim; only if one of them was lost, one call per claim, to keep
  // the others.
  private async renew(partitions: number[]): Promise<void> {
    if (partitions.length === 0) return;
    const request = {
      scope: this.scope,
      owner: this.claimant,
      ttlMs: this.leaseMs,
    };
    const all = await this.holds.extend({ ...request, resources: partitions.map(claimResource) });
    if (all.ok) {
      partitions.forEach((p) => this.setValidUntil(p, all.expiresAt));
      return;
    }
    await Promise.all(
      partitions.map(async (p) => {
        const one = await this.holds.extend({ ...request, resources: [claimResource(p)] });
        if (one.ok) this.setValidUntil(p, one.expiresAt);
        else this.claims.delete(p);
      }),
    );
  }

  private async claim(partition: number): Promise<void> {
    const resource = claimResource(partition);
    const result = await this.holds.acquire({
      scope: this.scope,
      resources: [resource],
      owner: this.claimant,
      ttlMs: this.leaseMs,
    });
    // 'held': the previous owner has not handed it over yet, or died and its lease runs;
    // the next tick tries again. A claim made while stop() waits for this tick is kept, so
    // that stop() releases it.
    if (!result.ok) return;
    const token = result.hold.tokens[resource];
    if (token === undefined) throw new Error(`no token for ${resource}`);
    this.claims.set(partition, { token, validUntil: result.hold.expiresAt - this.marginMs });
  }

  private setValidUntil(partition: number, expiresAt: number): void {
    const claim = this.claims.get(partition);
    if (claim) claim.validUntil = expiresAt - this.marginMs;
  }

  // Claims that lapsed locally (no renewal in time) are forgotten: the next tick claims them
  // again with a new token if they are still this member's.
  private dropLapsed(): void {
    const now = this.clock.now();
    for (const [partition, claim] of this.claims) {
      if (now >= claim.validUntil) this.claims.delete(partition);
    }
  }

  private emitIfChanged(): void {
    const owned = this.owned();
    const signature = [...owned].map(([p, t]) => `${p}:${t}`).join(',');
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    for (const listener of this.listeners) {
      try {
        listener(owned);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
