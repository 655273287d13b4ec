import pino, { type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import type { LogLevelName } from '../config/config-vars';
import type { ObservabilityOptions } from './observability.options';
import { RequestContext } from './request-context';

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

// One JSON object per line on stdout, with the level by name and an ISO timestamp. Every
// line written while serving a request (or a message entered with RequestContext.run)
// carries its reqId, looked up when the line is written: no child logger per request.
// Stdout is written asynchronously and in batches: lines are held until 4 KiB have gathered
// or 100 ms have passed, so a busy service makes one write per batch instead of one system
// call per line. pino flushes the batch when the process exits (also on an uncaught error);
// a SIGKILL loses at most the last 100 ms of lines.
export function createServiceLogger(options: ObservabilityOptions): Logger {
  const settings: LoggerOptions = {
    level: pinoLevel(options.logLevel),
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: requestFieldsOf,
    mixinMergeStrategy: (line, fields) =>
      fields === NO_FIELDS ? line : Object.assign(fields, line),
  };
  return pino(settings, options.destination ?? batchedStdout());
}

// One per process, whatever the number of apps in it: one buffer, one flush timer, and
// lines of several apps never interleave inside a write.
let stdout: DestinationStream | undefined;

function batchedStdout(): DestinationStream {
  stdout ??= pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
  return stdout;
}

// Returned, never merged into: most lines outside a request need no copy.
const NO_FIELDS = Object.freeze({});

// A line that names its request itself (the access line) keeps its own reqId.
function requestFieldsOf(line: object): object {
  if ('reqId' in line) return NO_FIELDS;
  const reqId = RequestContext.requestId();
  return reqId === undefined ? NO_FIELDS : { reqId };
}
