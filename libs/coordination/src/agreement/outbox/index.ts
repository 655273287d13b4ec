export {
  MESSAGE_ID_HEADER,
  OUTBOX_MIGRATIONS,
  OUTBOX_WAKEUP_CHANNEL,
  applyOutboxMigrations,
  outboxWriter,
  shardOf,
  writeOutbox,
  type OutboxRow,
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
