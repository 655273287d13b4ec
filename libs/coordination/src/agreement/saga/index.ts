export {
  backoffMs,
  idempotencyKeyFor,
  stepBudgetMs,
  type RetryPolicy,
  type SagaCommand,
  type SagaCommandEnvelope,
  type SagaDefinition,
  type SagaOutbox,
  type SagaPhase,
  type SagaReply,
  type SagaStep,
} from './saga.definition';
export {
  decide,
  startSaga,
  type Decision,
  type HistoryEntry,
  type SagaEvent,
  type SagaState,
} from './saga.engine';
export {
  SagaOrchestrator,
  type LocalParticipant,
  type ReplyResult,
  type SagaOrchestratorOptions,
  type SagaView,
  type StartResult,
} from './saga.orchestrator';
export { SAGA_MIGRATIONS, applySagaMigrations, type HistoryRecord } from './saga.store';
export {
  IllegalSagaTransitionError,
  SAGA_STATUSES,
  VALID_TRANSITIONS,
  assertTransition,
  isTerminal,
  type SagaStatus,
} from './saga.transitions';
export {
  DEFAULT_MAX_DRIVING,
  DEFAULT_REPLIES_PER_TRANSACTION,
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  DEFAULT_SESSION_TIMEOUT_MS,
  consumerFailoverBoundMs,
  consumerGroupTiming,
  runSagaRecoverer,
  startSagaParticipant,
  startSagaReplyConsumer,
  type ConsumerGroupTiming,
  type SagaConsumerOptions,
} from './saga.kafka';
export {
  MalformedSagaMessageError,
  applySagaReplies,
  applySagaReply,
  handleSagaCommand,
  parseSagaCommand,
  parseSagaReply,
  type SagaCommandHandler,
  type StepOutcome,
} from './saga.messages';
export { SagaRecoverer, type SagaRecovererOptions } from './saga.recoverer';
