import type { DestinationStream } from 'pino';
import type { LogLevelName } from '../config/config-vars';

export interface ObservabilityModuleOptions {
  logLevel: LogLevelName;
  // Where JSON log lines go; stdout when omitted. Tests pass a stream to read them.
  destination?: DestinationStream;
  // 'api' (default): GET /metrics on the service's own port, public like /health.
  // 'none': no route; the app serves HttpMetrics.render() elsewhere (the gateway, whose
  // API port faces the internet, serves it on a loopback port of its own).
  metricsRoute?: 'api' | 'none';
}

export interface ObservabilityOptions extends ObservabilityModuleOptions {
  service: string;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
