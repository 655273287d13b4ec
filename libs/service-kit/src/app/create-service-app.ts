import type { IncomingMessage } from 'node:http';
import {
  ConsoleLogger,
  Logger,
  type DynamicModule,
  type LoggerService,
  type LogLevel,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevelName } from '../config/config-vars';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { DEFAULT_MAX_JSON_DEPTH, installInputGuards } from '../http/input-guards';
import { installMethodNotAllowed } from '../http/method-not-allowed';
import { requestContextOf } from '../observability/request-context';
import { installRequestContext } from '../observability/request-context.hook';
import { serviceLoggerFor } from '../observability/service-logger.registry';
import { serveOpenApi, type OpenApiOptions } from '../openapi/serve-openapi';
import { createValidationPipe } from '../validation/validation.pipe';

export interface ServiceAppOptions {
  // Level of Nest's console logger, used when the app has no ObservabilityModule
  // (with it, the module's logLevel applies).
  logLevel: LogLevelName;
  // Replaces any other logger, e.g. to capture log lines in a test.
  logger?: LoggerService;
  // A JSON body nested deeper than this is a 400 (default DEFAULT_MAX_JSON_DEPTH).
  maxJsonDepth?: number;
  // Serves the OpenAPI document (GET /docs/json) and Swagger UI (GET /docs).
  openApi?: OpenApiOptions;
}

export type ServiceRootModule = Type<unknown> | DynamicModule;

// Builds a service exactly as it runs in production: Fastify, the service's JSON logger
// when ObservabilityModule is imported, input guards, global validation, the global
// exception filter. main.ts listens on it and installs stopOnSignals; tests inject requests
// into it.
export async function createServiceApp(
  rootModule: ServiceRootModule,
  options: ServiceAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Fastify's request id is the suite's request id (x-request-id or traceparent).
    genReqId: (request: IncomingMessage) => requestContextOf(request).requestId,
    // No Express-style middleware (Nest's MiddlewareConsumer): the suite's per-request work
    // is in Fastify hooks. Without @fastify/middie no hook of its own runs on every request;
    // a module that configured middleware would fail at boot, not be skipped.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: options.logger ?? consoleLogger(options.logLevel),
    // Hold boot messages until the service's own logger is known, so they come out
    // in the same JSON format as everything after them.
    bufferLogs: options.logger === undefined,
    // Let a failed boot reject to the caller instead of aborting the process.
    abortOnError: false,
  });
  if (options.logger === undefined) {
    app.useLogger(serviceLoggerFor(adapter) ?? consoleLogger(options.logLevel));
    // Nest flushes on listen() only; tests never listen, and a buffer left attached
    // would swallow every later log line.
    app.flushLogs();
  }
  // First of all hooks: every answer, even one a later hook gives, carries the request id.
  installRequestContext(adapter);
  // Before any guard or pipe: depth-bounded JSON, no control characters in any input.
  installInputGuards(adapter, {
    maxJsonDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
  });
  installMethodNotAllowed(adapter);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(new Logger('ExceptionsFilter')));
  if (options.openApi) serveOpenApi(app, options.openApi);
  // No enableShutdownHooks: main.ts installs stopOnSignals, which drains before closing.
  return app;
}

// createServiceApp, then initialised and with Fastify ready, so `app.inject()` can be
// used without a port. Call `app.close()` when done.
export async function initServiceApp(
  rootModule: ServiceRootModule,
  options: ServiceAppOptions,
): Promise<NestFastifyApplication> {
  const app = await createServiceApp(rootModule, options);
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

const NEST_LEVELS_BY_SEVERITY: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'log',
  'debug',
  'verbose',
];

// An instance rather than a level list: Nest's logger is process-wide, and a level
// list would keep whatever logger an earlier app in the same process installed.
function consoleLogger(level: LogLevelName): ConsoleLogger {
  return new ConsoleLogger({ logLevels: nestLogLevels(level) });
}

// LOG_LEVEL names the least severe level still printed; Nest calls "info" "log".
export function nestLogLevels(level: LogLevelName): LogLevel[] {
  const nestLevel: LogLevel = level === 'info' ? 'log' : level;
  return NEST_LEVELS_BY_SEVERITY.slice(0, NEST_LEVELS_BY_SEVERITY.indexOf(nestLevel) + 1);
}
