export type { Clock } from './clock/clock';
export { systemClock } from './clock/clock';
export { FakeClock } from './clock/fake-clock';
export { fromQueryRunner } from './ports/sql-executor';
export type {
  SqlExecutor,
  SqlResult,
  StructuredQueryResult,
  StructuredQueryRunner,
} from './ports/sql-executor';
export type { MessageProducer, OutgoingMessage } from './ports/message-producer';
export {
  poolTransactionRunner,
  type PoolLike,
  type TransactionRunner,
} from './ports/transaction-runner';
export { LuaScript, type RedisClient } from './redis';
export * from './selection';
export * from './aggregation';
export * from './suppression';
export * from './agreement';
export * from './assignment';
