export { createServiceApp, initServiceApp, nestLogLevels } from './app/create-service-app';
export type { ServiceAppOptions, ServiceRootModule } from './app/create-service-app';
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
export { ReadinessRegistry } from './health/readiness.registry';
export type { ReadinessCheck, ReadinessReport } from './health/readiness.registry';
