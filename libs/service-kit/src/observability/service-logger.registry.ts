import type { LoggerService } from '@nestjs/common';

// createServiceApp builds the HTTP adapter and, once the modules exist, asks here
// whether ObservabilityModule registered a logger for that adapter. Keyed by adapter
// so that several apps in one process each find their own.
const loggersByAdapter = new WeakMap<object, LoggerService>();

export function registerServiceLogger(adapter: object, logger: LoggerService): void {
  loggersByAdapter.set(adapter, logger);
}

export function serviceLoggerFor(adapter: object): LoggerService | undefined {
  return loggersByAdapter.get(adapter);
}
