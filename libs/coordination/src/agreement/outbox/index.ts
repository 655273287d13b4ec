export {
  MESSAGE_ID_HEADER,
  OUTBOX_MIGRATIONS,
  OUTBOX_WAKEUP_CHANNEL,
  applyOutboxMigrations,
  isOutboxWriter,
  outboxInsert,
  outboxWriter,
  shardOf,
  writeOutbox,
  type OutboxRow,
  type OutboxWriter,
  type OutboxWriteOptions,
  type OutboxWriteResult,
} from './outbox-writer';
export {
  OUTBOX_ID_HEADER,
  OutboxRelay,
  type OutboxRelayOptions,
  type RelayBatchOutcome,
  type RelayWakeups,
  type RelayStats,
} from './outbox-relay';
export {
  outboxBacklog,
  outboxPublishLatency,
  purgePublishedOutbox,
  type OutboxBacklog,
  type PublishLatency,
} from './outbox-metrics';
export { LeasedOutboxRelay, relayLeaseName, type LeasedOutboxRelayOptions } from './leased-relay';
export { pgListenWakeups, type ListenConnection, type PgListenWakeups } from './outbox-wakeups';
