// Public surface of the suppression mechanisms; the library's entry point re-exports it.
export {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_RETENTION_MS,
  IdempotencyStore,
  RECOVERY_POINT_STARTED,
  classifyExistingKey,
  type BeginOutcome,
  type ExistingKeyVerdict,
  type HolderOutcome,
  type IdempotencyStoreOptions,
  type IdempotentRequest,
  type KeyHandle,
  type PurgeOptions,
  type PurgeReport,
  type StoredResponse,
} from './idempotency/idempotency-store';
export { canonicalJson, requestFingerprint, type RequestShape } from './idempotency/fingerprint';
export {
  IllegalKeyTransitionError,
  KEY_TRANSITIONS,
  effectiveKeyState,
  isLegalKeyTransition,
  nextKeyState,
  type KeyEvent,
  type KeyState,
} from './idempotency/key-lifecycle';
export {
  UnknownRecoveryPointError,
  runRecoverable,
  type RecoverableOutcome,
  type RecoverablePhase,
} from './idempotency/recovery-points';
export { processOnce, purgeInbox, type InboxOutcome, type InboxPurgeOptions } from './inbox/inbox';
export {
  ACKS_ALL,
  IdempotentProducer,
  ProducerConfigError,
  TransactionalProducer,
  createIdempotentProducer,
  createTransactionalProducer,
  producerConfigProblems,
  type KafkaProducerSource,
  type ProducerKind,
  type ProducerTransaction,
  type SafeProducerOptions,
} from './kafka/idempotent-producer';
export { SUPPRESSION_MIGRATIONS, applySuppressionMigrations } from './schema/migrations';
