import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';
import { HttpMetrics, UNMATCHED_ROUTE, type ObservedRequest } from './http-metrics';
import { SERVICE_LOGGER } from './observability.options';
import type { AccessLogRouteConfig } from './debug-access-log.decorator';
import { requestContextOf } from './request-context';

// Observes every response in Fastify's onResponse hook rather than in a Nest
// interceptor, so 404s, guard rejections and body-parser errors are counted and
// logged too, and the route label is Fastify's route pattern. (The request's context is
// entered by installRequestContext, which createServiceApp installs first.)
@Injectable()
export class HttpObservationHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: HttpMetrics,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  // Runs before Fastify is ready; Fastify applies hooks added until then to every
  // route, including those Nest has already registered.
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.getType() !== 'fastify') {
      throw new Error(`ObservabilityModule needs the Fastify adapter, got "${adapter.getType()}"`);
    }
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      this.record(request, reply);
      done();
    });
  }

  private record(request: FastifyRequest, reply: FastifyReply): void {
    const observed: ObservedRequest = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
    };
    this.metrics.observe(observed);
    const level: Level =
      observed.status >= 500
        ? 'error'
        : (request.routeOptions.config as AccessLogRouteConfig | undefined)?.accessLog === 'debug'
          ? 'debug'
          : 'info';
    // A line below the level is not even built.
    if (!this.logger.isLevelEnabled(level)) return;
    // One line per request. The path is logged without its query string; headers and
    // bodies are not logged at all.
    const line = {
      reqId: requestContextOf(request.raw).requestId,
      method: observed.method,
      route: observed.route,
      path: request.url.split('?', 1)[0],
      status: observed.status,
      durationMs: Math.round(observed.durationMs * 1000) / 1000,
    };
    this.logger[level](line, level === 'error' ? 'request failed' : 'request completed');
  }
}
