import { randomUUID } from 'node:crypto';
import { idempotencyKeyProblem } from '@suite/contracts';
import { systemClock, type Clock } from '../../clock/clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import { requestFingerprint } from './fingerprint';
import * as q from './idempotency.sql';
import { effectiveKeyState, nextKeyState, type KeyState } from './key-lifecycle';

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_LOCK_TIMEOUT_MS = 60 * 1000;
// The recovery point of a key nobody has advanced yet.
export const RECOVERY_POINT_STARTED = 'started';

export interface IdempotencyStoreOptions {
  clock?: Clock;
  // How long a key stays after its first use; a reuse after that is a new request.
  retentionMs?: number;
  // How long a holder may go without committing a phase before a retry may take the
  // key over. Must exceed the longest phase (including a PSP call) with margin, and the
  // clock skew between instances must be far below it: time here is the app's clock.
  lockTimeoutMs?: number;
  newLockToken?: () => string;
}

export interface IdempotentRequest {
  // Who the key belongs to (account, API key): keys of two owners never collide.
  scope: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

export interface StoredResponse<B = unknown> {
  status: number;
  body: B;
}

// Proof of holding a key: every phase commit carries it, and a holder whose lock was
// taken over is refused.
export interface KeyHandle {
  readonly scope: string;
  readonly key: string;
  readonly lockToken: string;
  readonly recoveryPoint: string;
}

export type BeginOutcome<B = unknown> =
  // Go ahead, starting at recoveryPoint ('started' for a new key). resumed is true
  // when an earlier attempt left the key unlocked or timed out.
  | { kind: 'acquired'; handle: KeyHandle; recoveryPoint: string; resumed: boolean }
  | { kind: 'replay'; response: StoredResponse<B> }
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'payload-mismatch' }
  | { kind: 'invalid-key'; reason: string };

export type HolderOutcome<T> = T | { kind: 'lock-lost' };

export interface PurgeOptions {
  batchSize?: number;
  maxBatches?: number;
}

export interface PurgeReport {
  deleted: number;
  batches: number;
  // True when the last batch was full, i.e. more expired keys may remain.
  more: boolean;
}

interface KeyRow {
  fingerprint: string;
  state: 'locked' | 'unlocked' | 'completed';
  recovery_point: string;
  locked_until: Date | null;
  response_status: number | null;
  response_body: unknown;
  version: number;
  expires_at: Date;
}

export type ExistingKeyVerdict = 'reset' | 'payload-mismatch' | 'replay' | 'in-progress' | 'resume';

// What a request may do with a key that already has a row. Pure, so it is tested
// without a database; the order of the checks is the contract.
export function classifyExistingKey(
  row: {
    fingerprint: string;
    state: 'locked' | 'unlocked' | 'completed';
    lockedUntilMs: number | null;
    expiresAtMs: number;
  },
  fingerprint: string,
  nowMs: number,
): ExistingKeyVerdict {
  const state = effectiveKeyState(row, nowMs);
  // Past retention the key is free again, but never under a live lock.
  if (row.expiresAtMs <= nowMs && state !== 'locked') return 'reset';
  if (row.fingerprint !== fingerprint) return 'payload-mismatch';
  if (state === 'completed') return 'replay';
  if (state === 'locked') return 'in-progress';
  return 'resume';
}

const MAX_BEGIN_ATTEMPTS = 5;

export class IdempotencyStore {
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly lockTimeoutMs: number;
  private readonly newLockToken: () => string;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.newLockToken = options.newLockToken ?? randomUUID;
    if (!(this.retentionMs > 0) || !(this.lockTimeoutMs > 0)) {
      throw new RangeError('IdempotencyStore: retentionMs and lockTimeoutMs must be positive');
    }
    if (this.lockTimeoutMs >= this.retentionMs) {
      throw new RangeError('IdempotencyStore: lockTimeoutMs must be shorter than retentionMs');
    }
  }

  // Claims the key for this request, or says why not. Run it on its own (autocommit,
  // or a transaction committed before the first phase) so that concurrent duplicates
  // see the lock and get in-progress instead of waiting.
  async begin<B = unknown>(sql: SqlExecutor, request: IdempotentRequest): Promise<BeginOutcome<B>> {
    const invalid = invalidKeyReason(request.key);
    if (invalid) return { kind: 'invalid-key', reason: invalid };
    const fingerprint = requestFingerprint(request);

    for (let attempt = 0; attempt < MAX_BEGIN_ATTEMPTS; attempt++) {
      const now = this.clock.now();
      const lockToken = this.newLockToken();
      const inserted = await sql.query<{ recovery_point: string }>(q.INSERT_KEY, [
        request.scope,
        request.key,
        request.method.toUpperCase(),
        request.path,
        fingerprint,
        RECOVERY_POINT_STARTED,
        lockToken,
        new Date(now + this.lockTimeoutMs),
        new Date(now),
        new Date(now + this.retentionMs),
      ]);
      if (inserted.rows.length === 1) {
        nextKeyState('absent', 'begin');
        return this.acquired(request, lockToken, RECOVERY_POINT_STARTED, false);
      }

      const existing = await sql.query<KeyRow>(q.SELECT_KEY, [request.scope, request.key]);
      const row = existing.rows[0];
      if (row === undefined) continue; // purged between the two statements: insert again

      const verdict = classifyExistingKey(
        {
          fingerprint: row.fingerprint,
          state: row.state,
          lockedUntilMs: row.locked_until?.getTime() ?? null,
          expiresAtMs: row.expires_at.getTime(),
        },
        fingerprint,
        now,
      );
      const state: KeyState = effectiveKeyState(
        { state: row.state, lockedUntilMs: row.locked_until?.getTime() ?? null },
        now,
      );
      switch (verdict) {
        case 'payload-mismatch':
          return { kind: 'payload-mismatch' };
        case 'replay':
          return {
            kind: 'replay',
            response: { status: row.response_status as number, body: row.response_body as B },
          };
        case 'in-progress':
          return {
            kind: 'in-progress',
            retryAfterMs: Math.max(0, (row.locked_until?.getTime() ?? now) - now),
          };
        case 'resume': {
          nextKeyState(state, 'resume');
          const resumed = await sql.query<{ recovery_point: string }>(q.RESUME_KEY, [
            request.scope,
            request.key,
            row.version,
            lockToken,
            new Date(now + this.lockTimeoutMs),
            new Date(now),
          ]);
          const point = resumed.rows[0]?.recovery_point;
          if (point !== undefined) return this.acquired(request, lockToken, point, true);
          continue; // another retry changed the row first: read it again
        }
        case 'reset': {
          nextKeyState(state, 'purge');
          nextKeyState('absent', 'begin');
          const reset = await sql.query<{ recovery_point: string }>(q.RESET_EXPIRED_KEY, [
            request.scope,
            request.key,
            row.version,
            request.method.toUpperCase(),
            request.path,
            fingerprint,
            RECOVERY_POINT_STARTED,
            lockToken,
            new Date(now + this.lockTimeoutMs),
            new Date(now),
            new Date(now + this.retentionMs),
          ]);
          if (reset.rows.length === 1) {
            return this.acquired(request, lockToken, RECOVERY_POINT_STARTED, false);
          }
          continue;
        }
      }
    }
    // Five lost compare-and-sets in a row on one key is not contention, it is a bug.
    throw new Error(
      `IdempotencyStore.begin: key ${request.scope}/${request.key} changed under every one of ${MAX_BEGIN_ATTEMPTS} attempts`,
    );
  }

  // Moves the recovery point. Call it in the same transaction as the phase's effects:
  // on lock-lost, roll that transaction back, since another attempt owns the key.
  async advance(
    tx: SqlExecutor,
    handle: KeyHandle,
    recoveryPoint: string,
  ): Promise<HolderOutcome<{ kind: 'advanced'; handle: KeyHandle }>> {
    nextKeyState('locked', 'advance');
    const now = this.clock.now();
    const result = await tx.query(q.ADVANCE_KEY, [
      handle.scope,
      handle.key,
      handle.lockToken,
      recoveryPoint,
      new Date(now + this.lockTimeoutMs),
      new Date(now),
    ]);
    if (result.rowCount !== 1) return { kind: 'lock-lost' };
    return { kind: 'advanced', handle: { ...handle, recoveryPoint } };
  }

  // Stores the response every retry will replay, error responses included. Call it in
  // the transaction of the last phase; on lock-lost, roll back.
  async complete(
    tx: SqlExecutor,
    handle: KeyHandle,
    response: StoredResponse,
  ): Promise<HolderOutcome<{ kind: 'completed' }>> {
    nextKeyState('locked', 'complete');
    const result = await tx.query(q.COMPLETE_KEY, [
      handle.scope,
      handle.key,
      handle.lockToken,
      response.status,
      JSON.stringify(response.body ?? null),
      new Date(this.clock.now()),
    ]);
    if (result.rowCount !== 1) return { kind: 'lock-lost' };
    return { kind: 'completed' };
  }

  // Gives the key up without a response, e.g. after a transient failure, so the
  // client's retry resumes at once instead of after the lock timeout.
  async release(sql: SqlExecutor, handle: KeyHandle): Promise<HolderOutcome<{ kind: 'released' }>> {
    nextKeyState('locked', 'release');
    const result = await sql.query(q.RELEASE_KEY, [
      handle.scope,
      handle.key,
      handle.lockToken,
      new Date(this.clock.now()),
    ]);
    if (result.rowCount !== 1) return { kind: 'lock-lost' };
    return { kind: 'released' };
  }

  // Deletes keys past retention, at most batchSize per statement and maxBatches
  // statements per call, so one run never holds many row locks or runs unbounded.
  // Schedule it (every few minutes) on one instance; running it on several is safe.
  async purgeExpired(sql: SqlExecutor, options: PurgeOptions = {}): Promise<PurgeReport> {
    const batchSize = options.batchSize ?? 500;
    const maxBatches = options.maxBatches ?? 20;
    if (!(batchSize > 0) || !(maxBatches > 0)) {
      throw new RangeError('purgeExpired: batchSize and maxBatches must be positive');
    }
    let deleted = 0;
    let batches = 0;
    let lastCount = 0;
    while (batches < maxBatches) {
      const result = await sql.query(q.PURGE_EXPIRED_KEYS, [new Date(this.clock.now()), batchSize]);
      lastCount = result.rowCount ?? 0;
      deleted += lastCount;
      batches += 1;
      if (lastCount < batchSize) break;
    }
    return { deleted, batches, more: lastCount === batchSize };
  }

  private acquired(
    request: IdempotentRequest,
    lockToken: string,
    recoveryPoint: string,
    resumed: boolean,
  ): BeginOutcome<never> {
    return {
      kind: 'acquired',
      handle: { scope: request.scope, key: request.key, lockToken, recoveryPoint },
      recoveryPoint,
      resumed,
    };
  }
}

// The contracts' one Idempotency-Key rule, the one the gateway and every service's HTTP edge
// enforce, so the store never holds a key that a client could not have sent.
function invalidKeyReason(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty';
  return idempotencyKeyProblem(key);
}
