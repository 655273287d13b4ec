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
const startNewEpochScript = LuaScript.fromFile(__dirname, 'start-new-epoch.lua');

// A bootstrap marker outlives any sane Postgres round trip; a caller paused longer than this
// between reading Postgres and installing simply has its epoch refused and reads again.
const BOOT_MARKER_TTL_MS = 30_000;
// Installing is refused only when Redis restarted during our own bootstrap; more than a few
// in a row means Redis is flapping, which is breakage, not contention.
const MAX_BOOTSTRAP_ATTEMPTS = 3;

export interface HoldRequest {
  // Groups the resources of one hold onto one Redis Cluster slot: keys are
  // hold:{namespace:scope}:...
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
  // The service that owns these holds (e.g. 'ticketing'). Every key lives under it, and the
  // service's own epoch source is the only one that ever installs an epoch there, so two
  // services sharing one Redis and one key prefix can neither take each other's leases nor
  // mix epochs from two sequences in one scope (ADR 0004).
  namespace: string;
  redis: RedisClient;
  epochs: EpochSource;
  clock?: Clock;
}

export interface NewEpochResult {
  // The epoch that was installed, or null when the scope had none.
  previousEpoch: number | null;
  // How many of the named resources' counters were deleted (they restart at 1).
  countersReset: number;
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
  readonly namespace: string;
  private readonly redis: RedisClient;
  private readonly epochs: EpochSource;
  private readonly clock: Clock;
  // Bootstrap markers only need to be unique per bootstrap: a random prefix and a counter.
  private readonly noncePrefix = randomBytes(6).toString('hex');
  private nonceCounter = 0;

  constructor(options: FencedHoldsOptions) {
    // Checked at run time too: a caller without types must not fall back to a shared scope.
    validateNamespace(options.namespace);
    this.namespace = options.namespace;
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
          epochKey(this.namespace, request.scope),
          ...request.resources.map((r) => leaseKey(this.namespace, request.scope, r)),
          ...request.resources.map((r) => fenceKey(this.namespace, request.scope, r)),
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
              'start a new epoch for it (startNewEpoch; selection/README.md, Runbook)',
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
      request.resources.map((r) => leaseKey(this.namespace, request.scope, r)),
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
      request.resources.map((r) => leaseKey(this.namespace, request.scope, r)),
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

  // Runbook remedy for an exhausted counter (or counters lost behind the storage fence): in
  // one step, drop the scope's epoch and the named resources' counters. The next acquire
  // installs a higher epoch from this namespace's source, so every resource's next token is
  // above all earlier ones, and the reset counters start again at 1 instead of staying
  // exhausted. Leases in progress are kept; their holders still hold the older tokens.
  async startNewEpoch(scope: string, resetResources: readonly string[]): Promise<NewEpochResult> {
    validateScope(scope);
    if (new Set(resetResources).size !== resetResources.length) {
      throw new RangeError(`resources must be distinct: ${resetResources.join(', ')}`);
    }
    const [previous, reset] = await startNewEpochScript.run<[number | false | null, number]>(
      this.redis,
      [
        epochKey(this.namespace, scope),
        ...resetResources.map((r) => fenceKey(this.namespace, scope, r)),
      ],
      [],
    );
    return { previousEpoch: typeof previous === 'number' ? previous : null, countersReset: reset };
  }

  // The marker is written before Postgres is asked, so an epoch installed while the marker is
  // still there was read after this Redis incarnation began: it is higher than every epoch
  // used before it. Only this path costs more than one round trip (ADR 0003).
  private async installEpoch(scope: string): Promise<void> {
    const nonce = this.nextNonce();
    await this.redis.set(bootKey(this.namespace, scope, nonce), '1', 'PX', BOOT_MARKER_TTL_MS);
    const epoch = await this.epochs.next();
    if (!Number.isSafeInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) {
      throw new SelectionError('token-space-exhausted', `epoch source returned ${epoch}`);
    }
    // 'stale' (Redis restarted meanwhile) needs no handling here: the caller's next acquire
    // finds no epoch again and starts over with a fresh marker.
    await installEpochScript.run<InstallReply>(
      this.redis,
      [epochKey(this.namespace, scope), bootKey(this.namespace, scope, nonce)],
      [epoch],
    );
  }

  private nextNonce(): string {
    this.nonceCounter = (this.nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.noncePrefix}.${this.nonceCounter}`;
  }
}

// Key layout. The {namespace:scope} hash tag puts every key of a hold in one Redis Cluster
// slot; a namespace has no ':', so no two (namespace, scope) pairs share a tag.
export function epochKey(namespace: string, scope: string): string {
  return `hold:{${namespace}:${scope}}:epoch`;
}
function bootKey(namespace: string, scope: string, nonce: string): string {
  return `hold:{${namespace}:${scope}}:boot:${nonce}`;
}
export function leaseKey(namespace: string, scope: string, resource: string): string {
  return `hold:{${namespace}:${scope}}:lease:${resource}`;
}
export function fenceKey(namespace: string, scope: string, resource: string): string {
  return `hold:{${namespace}:${scope}}:fence:${resource}`;
}

// A service name: lowercase letters, digits and dashes. No ':' (it ends the namespace inside
// the hash tag) and no braces (they would end the tag).
const NAMESPACE = /^[a-z][a-z0-9-]{0,62}$/;

export function validateNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw new RangeError(
      `a service namespace is required (lowercase letters, digits, dashes; e.g. 'ticketing'), ` +
        `got ${JSON.stringify(namespace)}`,
    );
  }
}

function resourceAt(request: HoldRequest, oneBasedIndex: number): string {
  const resource = request.resources[oneBasedIndex - 1];
  if (resource === undefined) throw new Error(`script named resource #${oneBasedIndex}`);
  return resource;
}

// Programming errors throw; they are not denials.
function validate(request: HoldRequest): void {
  validateScope(request.scope);
  if (!request.owner) throw new RangeError('owner must be non-empty');
  if (request.resources.length === 0) throw new RangeError('a hold needs at least one resource');
  if (new Set(request.resources).size !== request.resources.length) {
    throw new RangeError(`resources must be distinct: ${request.resources.join(', ')}`);
  }
  if (request.resources.some((r) => r.length === 0)) {
    throw new RangeError('resource names must be non-empty');
  }
}

function validateScope(scope: string): void {
  if (!scope || /[{}]/.test(scope)) {
    throw new RangeError(`scope must be non-empty and without braces, got "${scope}"`);
  }
}

function validateTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}
