import type { DestinationStream } from 'pino';
import type { LogLevelName } from '../config/config-vars';

export interface ObservabilityModuleOptions {
  logLevel: LogLevelName;
  // Where JSON log lines go; stdout when omitted. Tests pass a stream to read them.
  destination?: DestinationStream;
}

export interface ObservabilityOptions extends ObservabilityModuleOptions {
  service: string;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
