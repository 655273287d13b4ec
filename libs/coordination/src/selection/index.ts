// Public surface of the selection mechanisms; the library's entry point re-exports it.
export {
  FencedHolds,
  epochKey,
  fenceKey,
  leaseKey,
  validateNamespace,
  type AcquireResult,
  type ExtendResult,
  type FencedHoldsOptions,
  type Hold,
  type HoldRequest,
  type NewEpochResult,
  type ReleaseResult,
  type TimedHoldRequest,
} from './fenced-holds';
export { FENCING_SCHEMA_SQL, PostgresEpochs, applyFencingSchema, type EpochSource } from './epochs';
export { checkFence, checkFenceShared, fencedWrite, type FenceResult } from './fenced-write';
export {
  COUNTER_BITS,
  MAX_COUNTER,
  MAX_EPOCH,
  decodeToken,
  encodeToken,
  type DecodedToken,
} from './fencing-token';
export {
  LeaderElector,
  type DemotionReason,
  type Lease,
  type LeaderElectorOptions,
  type LeadingLoop,
  type Timers,
} from './leader-elector';
export { NaiveLock } from './naive-lock';
export { SelectionError, type SelectionErrorCode } from './selection.errors';
