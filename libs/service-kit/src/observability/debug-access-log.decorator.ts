import { RouteConfig } from '@nestjs/platform-fastify';

// Fastify route config read by HttpObservationHooks when it writes a request's line.
export interface AccessLogRouteConfig {
  accessLog?: 'debug';
}

// For routes called so often that a line per request would drown the log and cost a write
// each: probes and scrapes (health, metrics), and a decision endpoint that its caller logs
// itself. Their access lines are written at debug. A failure (5xx) is still logged at error,
// and every request is still counted in the metrics.
export const DebugAccessLog = (): MethodDecorator =>
  RouteConfig({ accessLog: 'debug' } satisfies AccessLogRouteConfig);
