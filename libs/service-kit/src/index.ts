export { createServiceApp, initServiceApp, nestLogLevels } from './app/create-service-app';
export type { ServiceAppOptions, ServiceRootModule } from './app/create-service-app';
export { drainThenClose, stopOnSignals } from './app/graceful-stop';
export type { GracefulStopOptions } from './app/graceful-stop';
export { stopInStages } from './app/stop-in-stages';
export type { StoppableWorker } from './app/stop-in-stages';
export { ConfigError } from './config/config.errors';
export type { ConfigIssue } from './config/config.errors';
export {
  HTTP_PROTOCOLS,
  LOG_LEVELS,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
  baseServiceConfig,
  brokerList,
  durationMsVar,
  pemVar,
  portVar,
  urlVar,
} from './config/config-vars';
export type {
  BaseServiceConfig,
  DurationMsVarOptions,
  LogLevelName,
  UrlVarOptions,
} from './config/config-vars';
export { loadConfig } from './config/load-config';
export { AllExceptionsFilter } from './errors/all-exceptions.filter';
export type { ErrorResponseBody } from './errors/all-exceptions.filter';
export { HealthModule } from './health/health.module';
export type { HealthModuleOptions } from './health/health.module';
export type { LivenessBody, ReadinessBody } from './health/health.http.controller';
export { ACCEPTING_TRAFFIC, ReadinessRegistry } from './health/readiness.registry';
export type { ReadinessCheck, ReadinessReport } from './health/readiness.registry';
export { AuthModule } from './auth/auth.module';
export type { AuthModuleOptions } from './auth/auth.module';
export type { AuthenticatedUser } from './auth/authenticated-user';
export { CurrentUser } from './auth/current-user.decorator';
export { DevTokenSigner } from './auth/dev-token-signer';
export type { DevTokenSignerOptions, SignOptions } from './auth/dev-token-signer';
export { generateEs256KeyPair } from './auth/es256-keys';
export type { Es256KeyPair } from './auth/es256-keys';
export { JwtAuthGuard } from './auth/jwt-auth.guard';
export { JwtVerifier } from './auth/jwt-verifier';
export type { JwtVerifierOptions, VerifyOutcome } from './auth/jwt-verifier';
export { IS_PUBLIC_ROUTE, Public } from './auth/public.decorator';
export { REQUIRED_SCOPES, RequireScopes } from './auth/require-scopes.decorator';
export { hasScope } from './auth/authenticated-user';
export { dataSourceReadinessCheck, PostgresReadiness } from './database/database-readiness';
export {
  MIGRATION_LOCK_KEY,
  initializeAndMigrate,
  migrateUnderLock,
  migratingDataSourceFactory,
} from './database/migrate-under-lock';
export {
  coordinationTablesMigration,
  type CoordinationTables,
  type MigrationClass,
} from './database/coordination-tables';
export { autocommit, typeOrmTransactions } from './database/ports-over-typeorm';
export {
  AUTOCOMMIT,
  PostgresPersistenceModule,
  TRANSACTIONS,
  type PostgresPersistenceOptions,
} from './database/postgres-persistence.module';
export { runInTransaction } from './database/run-in-transaction';
export type { TransactionOptions, UnitOfWork } from './database/run-in-transaction';
export { typeOrmOptionsFor } from './database/typeorm-options';
export type { TypeOrmOptionsInput } from './database/typeorm-options';
export { createRedisClient, redisReadinessCheck } from './redis/create-redis-client';
export type { CreateRedisClientOptions } from './redis/create-redis-client';
export { watchForStalledConnection, DEFAULT_STALL_WATCH } from './redis/stalled-connection';
export type { StalledConnectionWatch } from './redis/stalled-connection';
export { HttpMetrics, UNMATCHED_ROUTE } from './observability/http-metrics';
export type { ObservedRequest } from './observability/http-metrics';
export { ObservabilityModule } from './observability/observability.module';
export { DebugAccessLog } from './observability/debug-access-log.decorator';
export { SERVICE_LOGGER } from './observability/observability.options';
export type { ObservabilityModuleOptions } from './observability/observability.options';
export {
  REQUEST_ID_HEADER,
  RequestContext,
  TRACEPARENT_HEADER,
  parseTraceparent,
  propagationHeaders,
  requestContextFromHeaders,
} from './observability/request-context';
export type {
  HeaderBag,
  ParsedTraceparent,
  RequestContextValue,
} from './observability/request-context';
export {
  createValidationPipe,
  ValidShape,
  type ValidShapeCheck,
} from './validation/validation.pipe';
export { IsRfc3339DateTime, parseRfc3339DateTime } from './validation/date-time';
export { validShapeAgreement, type ValidShapeAgreement } from './validation/valid-shape-agreement';
export { DEFAULT_MAX_JSON_DEPTH } from './http/input-guards';
export { requireIdempotencyKey } from './http/require-idempotency-key';
export { answerOf, refusal, send, type AnswersTo, type HttpAnswer } from './http/answers';
export { ApiErrors } from './openapi/api-errors.decorator';
export { IDEMPOTENCY_KEY_HEADER_DOC } from './openapi/idempotency-key.header';
export { describeValidator } from './openapi/validator-schemas';
export {
  ERROR_RESPONSE_SCHEMA,
  OPENAPI_JSON_PATH,
  buildOpenApiDocument,
  describeRequestSchema,
  serveOpenApi,
} from './openapi/serve-openapi';
export type { OpenApiOptions } from './openapi/serve-openapi';
