import type { SqlExecutor } from '../../ports/sql-executor';
import type { TransactionRunner } from '../../ports/transaction-runner';
import {
  RECOVERY_POINT_STARTED,
  type IdempotencyStore,
  type KeyHandle,
  type StoredResponse,
} from './idempotency-store';

// One step of a multi-phase request. Its effects and the move of the key's recovery
// point to `reaches` commit in one transaction, so after a crash the retry starts at
// the first phase that did not commit, never repeating one that did.
export interface RecoverablePhase {
  reaches: string;
  run(tx: SqlExecutor): Promise<void>;
}

export type RecoverableOutcome<B> =
  | { kind: 'completed'; response: StoredResponse<B>; skipped: string[] }
  | { kind: 'lock-lost' };

class LockLost extends Error {}

export class UnknownRecoveryPointError extends Error {
  readonly code = 'IDEMPOTENCY_UNKNOWN_RECOVERY_POINT';
  constructor(readonly recoveryPoint: string) {
    super(`recovery point "${recoveryPoint}" is not reached by any phase of this request`);
  }
}

// Runs the phases after handle.recoveryPoint, then `respond` and the completion in a
// final transaction. Each phase's transaction is rolled back if the lock was lost.
export async function runRecoverable<B>(
  transactions: TransactionRunner,
  store: IdempotencyStore,
  handle: KeyHandle,
  phases: readonly RecoverablePhase[],
  respond: (tx: SqlExecutor) => Promise<StoredResponse<B>>,
): Promise<RecoverableOutcome<B>> {
  let start = 0;
  if (handle.recoveryPoint !== RECOVERY_POINT_STARTED) {
    const done = phases.findIndex((phase) => phase.reaches === handle.recoveryPoint);
    if (done < 0) throw new UnknownRecoveryPointError(handle.recoveryPoint);
    start = done + 1;
  }
  let current = handle;
  try {
    for (const phase of phases.slice(start)) {
      current = await transactions.inTransaction(async (tx) => {
        await phase.run(tx);
        const moved = await store.advance(tx, current, phase.reaches);
        if (moved.kind === 'lock-lost') throw new LockLost();
        return moved.handle;
      });
    }
    const response = await transactions.inTransaction(async (tx) => {
      const result = await respond(tx);
      const stored = await store.complete(tx, current, result);
      if (stored.kind === 'lock-lost') throw new LockLost();
      return result;
    });
    return { kind: 'completed', response, skipped: phases.slice(0, start).map((p) => p.reaches) };
  } catch (error) {
    if (error instanceof LockLost) return { kind: 'lock-lost' };
    throw error;
  }
}
