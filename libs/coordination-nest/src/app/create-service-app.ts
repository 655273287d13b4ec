import {
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

export interface ServiceAppOptions {
  logLevel: LogLevelName;
  // Replaces Nest's console logger, e.g. to capture log lines in a test.
  logger?: LoggerService;
}

export type ServiceRootModule = Type<unknown> | DynamicModule;

// Builds a service exactly as it runs in production: Fastify, the global exception
// filter and shutdown hooks. main.ts listens on it; tests inject requests into it.
export async function createServiceApp(
  rootModule: ServiceRootModule,
  options: ServiceAppOptions,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, new FastifyAdapter(), {
    logger: options.logger ?? nestLogLevels(options.logLevel),
    // Let a failed boot reject to the caller instead of aborting the process.
    abortOnError: false,
  });
  app.useGlobalFilters(new AllExceptionsFilter(new Logger('ExceptionsFilter')));
  // SIGTERM closes the HTTP server and runs module shutdown hooks before exit.
  app.enableShutdownHooks();
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

// LOG_LEVEL names the least severe level still printed; Nest calls "info" "log".
export function nestLogLevels(level: LogLevelName): LogLevel[] {
  const nestLevel: LogLevel = level === 'info' ? 'log' : level;
  return NEST_LEVELS_BY_SEVERITY.slice(0, NEST_LEVELS_BY_SEVERITY.indexOf(nestLevel) + 1);
}
