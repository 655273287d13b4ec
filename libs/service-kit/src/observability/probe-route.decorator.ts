import { RouteConfig } from '@nestjs/platform-fastify';

// Fastify route config read by HttpObservationHooks when it writes a request's line.
export interface AccessLogRouteConfig {
  accessLog?: 'debug';
}

// For routes that probes and scrapers call every few seconds (health, metrics): their
// access lines are written at debug, so at the default level they neither fill the log nor
// cost a write per probe. A failure (5xx) is still logged at error, and every request is
// still counted in the metrics.
export const ProbeRoute = (): MethodDecorator =>
  RouteConfig({ accessLog: 'debug' } satisfies AccessLogRouteConfig);
