import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock/clock';
import { LuaScript, type RedisClient } from '../redis/lua-script';
import type { EpochSource } from './epochs';
import { encodeToken, MAX_COUNTER, MAX_EPOCH } from './fencing-token';
import { SelectionError } from './selection.errors';

const acquireScript = LuaScript.fromFile(__dirname, 'acquire.lua');
const installEpochScript = LuaScript.fromFile(__dirname, 'install-epoch.lua');
const extendScript = LuaScript.fromFile(__dirname, 'extend.lua');
const releaseScript = LuaScript.fromFile(__dirname, 'release.lua');

// A bootstrap marker outlives any sane Postgres round trip; a caller paused longer than this
// between reading Postgres and installing simply has its epoch refused and reads again.
const BOOT_MARKER_TTL_MS = 30_000;
// Installing is refused only when Redis restarted during our own bootstrap; more than a few
// in a row means Redis is flapping, which is breakage, not contention.
const MAX_BOOTSTRAP_ATTEMPTS = 3;

export interface HoldRequest {
  // Groups the resources of one hold onto one Redis Cluster slot: keys are hold:{scope}:...
  // Tokens are per (scope, resource): use the same scope for a resource every time.
  scope: string;
  resources: readonly string[];
  // Unique per holder (a hold id, a process id): extend and release check it.
  owner: string;
}

export interface TimedHoldRequest extends HoldRequest {
  ttlMs: number;
}

export interface Hold {
  scope: string;
  resources: readonly string[];
  owner: string;
  // The fencing token of each resource, to pass to every fenced write on it.
  tokens: Readonly<Record<string, number>>;
  // Measured from before the request was sent, so it is never later than Redis's own expiry.
  expiresAt: number;
}

export type AcquireResult =
  | { ok: true; hold: Hold }
  | { ok: false; reason: 'held'; resource: string; heldBy: string; retryAfterMs: number };

export type ExtendResult =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: 'expired'; resource: string }
  | { ok: false; reason: 'not-owner'; resource: string; heldBy: string };

export type ReleaseResult =
  | { ok: true; released: number }
  | { ok: false; reason: 'expired'; resource: string; released: number }
  | { ok: false; reason: 'not-owner'; resource: string; heldBy: string; released: number };

export interface FencedHoldsOptions {
  redis: RedisClient;
  epochs: EpochSource;
  clock?: Clock;
}

type AcquireReply =
  | ['ok', number, ...number[]]
  | ['held', number, string, number]
  | ['no-epoch']
  | ['exhausted', number];
type InstallReply = ['installed' | 'exists', number] | ['stale'];
type ExtendReply = ['ok'] | ['expired', number] | ['not-owner', number, string];
type ReleaseReply =
  | ['ok', number]
  | ['expired', number, number]
  | ['not-owner', number, number, string];

// Fenced holds on one or many resources, all or nothing, in Redis. Each operation is one Lua
// script and one round trip; the first acquire in a scope after Redis lost its keys also
// reads one epoch from Postgres (ADR 0003).
export class FencedHolds {
  private readonly redis: RedisClient;
  private readonly epochs: EpochSource;
  private readonly clock: Clock;
  // Bootstrap markers only need to be unique per bootstrap: a random prefix and a counter.
  private readonly noncePrefix = randomBytes(6).toString('hex');
  private nonceCounter = 0;

  constructor(options: FencedHoldsOptions) {
    this.redis = options.redis;
    this.epochs = options.epochs;
    this.clock = options.clock ?? systemClock;
  }

  async acquire(request: TimedHoldRequest): Promise<AcquireResult> {
    validate(request);
    validateTtl(request.ttlMs);
    for (let bootstraps = 0; ; bootstraps++) {
      const startedAt = this.clock.now();
      const reply = await acquireScript.run<AcquireReply>(
        this.redis,
        [
          epochKey(request.scope),
          ...request.resources.map((r) => leaseKey(request.scope, r)),
          ...request.resources.map((r) => fenceKey(request.scope, r)),
        ],
        [request.owner, request.ttlMs, MAX_COUNTER],
      );
      switch (reply[0]) {
        case 'ok': {
          const [, epoch, ...counters] = reply;
          const tokens = Object.fromEntries(
            request.resources.map((resource, i) => [
              resource,
              encodeToken(epoch, counters[i] ?? 0),
            ]),
          );
          return {
            ok: true,
            hold: {
              scope: request.scope,
              resources: [...request.resources],
              owner: request.owner,
              tokens,
              expiresAt: startedAt + request.ttlMs,
            },
          };
        }
        case 'held':
          return {
            ok: false,
            reason: 'held',
            resource: resourceAt(request, reply[1]),
            heldBy: reply[2],
            retryAfterMs: Math.max(0, reply[3]),
          };
        case 'exhausted':
          throw new SelectionError(
            'token-space-exhausted',
            `fencing counter of ${request.scope}/${resourceAt(request, reply[1])} is at ${MAX_COUNTER}; ` +
              'delete the scope epoch key to start a new epoch (see selection/README.md, Runbook)',
          );
        case 'no-epoch':
          if (bootstraps >= MAX_BOOTSTRAP_ATTEMPTS) {
            throw new SelectionError(
              'epoch-unavailable',
              `no epoch for scope ${request.scope} after ${bootstraps} installs; is Redis restarting?`,
            );
          }
          await this.installEpoch(request.scope);
      }
    }
  }

  async extend(request: TimedHoldRequest): Promise<ExtendResult> {
    validate(request);
    validateTtl(request.ttlMs);
    const startedAt = this.clock.now();
    const reply = await extendScript.run<ExtendReply>(
      this.redis,
      request.resources.map((r) => leaseKey(request.scope, r)),
      [request.owner, request.ttlMs],
    );
    switch (reply[0]) {
      case 'ok':
        return { ok: true, expiresAt: startedAt + request.ttlMs };
      case 'expired':
        return { ok: false, reason: 'expired', resource: resourceAt(request, reply[1]) };
      case 'not-owner':
        return {
          ok: false,
          reason: 'not-owner',
          resource: resourceAt(request, reply[1]),
          heldBy: reply[2],
        };
    }
  }

  async release(request: HoldRequest): Promise<ReleaseResult> {
    validate(request);
    const reply = await releaseScript.run<ReleaseReply>(
      this.redis,
      request.resources.map((r) => leaseKey(request.scope, r)),
      [request.owner],
    );
    switch (reply[0]) {
      case 'ok':
        return { ok: true, released: reply[1] };
      case 'expired':
        return {
          ok: false,
          reason: 'expired',
          resource: resourceAt(request, reply[1]),
          released: reply[2],
        };
      case 'not-owner':
        return {
          ok: false,
          reason: 'not-owner',
          resource: resourceAt(request, reply[1]),
          released: reply[2],
          heldBy: reply[3],
        };
    }
  }

  // The marker is written before Postgres is asked, so an epoch installed while the marker is
  // still there was read after this Redis incarnation began: it is higher than every epoch
  // used before it. Only this path costs more than one round trip (ADR 0003).
  private async installEpoch(scope: string): Promise<void> {
    const nonce = this.nextNonce();
    await this.redis.set(bootKey(scope, nonce), '1', 'PX', BOOT_MARKER_TTL_MS);
    const epoch = await this.epochs.next();
    if (!Number.isSafeInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) {
      throw new SelectionError('token-space-exhausted', `epoch source returned ${epoch}`);
    }
    // 'stale' (Redis restarted meanwhile) needs no handling here: the caller's next acquire
    // finds no epoch again and starts over with a fresh marker.
    await installEpochScript.run<InstallReply>(
      this.redis,
      [epochKey(scope), bootKey(scope, nonce)],
      [epoch],
    );
  }

  private nextNonce(): string {
    this.nonceCounter = (this.nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.noncePrefix}.${this.nonceCounter}`;
  }
}

// Key layout. The {scope} hash tag puts every key of a hold in one Redis Cluster slot.
export function epochKey(scope: string): string {
  return `hold:{${scope}}:epoch`;
}
function bootKey(scope: string, nonce: string): string {
  return `hold:{${scope}}:boot:${nonce}`;
}
export function leaseKey(scope: string, resource: string): string {
  return `hold:{${scope}}:lease:${resource}`;
}
export function fenceKey(scope: string, resource: string): string {
  return `hold:{${scope}}:fence:${resource}`;
}

function resourceAt(request: HoldRequest, oneBasedIndex: number): string {
  const resource = request.resources[oneBasedIndex - 1];
  if (resource === undefined) throw new Error(`script named resource #${oneBasedIndex}`);
  return resource;
}

// Programming errors throw; they are not denials.
function validate(request: HoldRequest): void {
  if (!request.scope || /[{}]/.test(request.scope)) {
    throw new RangeError(`scope must be non-empty and without braces, got "${request.scope}"`);
  }
  if (!request.owner) throw new RangeError('owner must be non-empty');
  if (request.resources.length === 0) throw new RangeError('a hold needs at least one resource');
  if (new Set(request.resources).size !== request.resources.length) {
    throw new RangeError(`resources must be distinct: ${request.resources.join(', ')}`);
  }
  if (request.resources.some((r) => r.length === 0)) {
    throw new RangeError('resource names must be non-empty');
  }
}

function validateTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}
