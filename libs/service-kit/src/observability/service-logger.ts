import pino, { type Level, type Logger, type LoggerOptions } from 'pino';
import type { LogLevelName } from '../config/config-vars';
import type { ObservabilityOptions } from './observability.options';

// Nest's "verbose" is pino's "trace"; the other names are shared.
export function pinoLevel(level: LogLevelName): Level {
  return level === 'verbose' ? 'trace' : level;
}

// Paths that must never reach a log line, even when someone logs a whole request.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'headers.authorization',
  'headers.cookie',
  'authorization',
];

// One JSON object per line on stdout, with the level by name and an ISO timestamp.
export function createServiceLogger(options: ObservabilityOptions): Logger {
  const settings: LoggerOptions = {
    level: pinoLevel(options.logLevel),
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
