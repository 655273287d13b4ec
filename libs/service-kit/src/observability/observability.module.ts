import {
  Global,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServiceName } from '@suite/contracts';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { HttpMetrics } from './http-metrics';
import { HttpObservationHooks } from './http-observation.hooks';
import { MetricsHttpController } from './metrics.http.controller';
import {
  OBSERVABILITY_OPTIONS,
  SERVICE_LOGGER,
  type ObservabilityModuleOptions,
  type ObservabilityOptions,
} from './observability.options';
import { RequestContextMiddleware } from './request-context.middleware';
import { createServiceLogger } from './service-logger';
import { registerServiceLogger } from './service-logger.registry';

// Every route, in the path syntax of Nest 11 (a bare "*" logs a deprecation warning).
const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };

// Structured logs, request ids and Prometheus metrics for one service. Global, so any
// module can inject HttpMetrics to register its own series on the app's registry.
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(adapterHost: HttpAdapterHost, logger: PinoNestLogger) {
    registerServiceLogger(adapterHost.httpAdapter, logger);
  }

  static forService(service: ServiceName, options: ObservabilityModuleOptions): DynamicModule {
    const resolved: ObservabilityOptions = { service, ...options };
    const logger = createServiceLogger(resolved);
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          // Binds a child logger carrying reqId to each request, which Nest's Logger
          // then uses inside it. The one line per request comes from HttpObservationHooks.
          pinoHttp: { logger, autoLogging: false, quietReqLogger: true },
          forRoutes: [ALL_ROUTES],
        }),
      ],
      controllers: options.metricsRoute === 'none' ? [] : [MetricsHttpController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: resolved },
        { provide: SERVICE_LOGGER, useValue: logger },
        // A factory, not a value: each app built from this module gets its own registry.
        { provide: HttpMetrics, useFactory: () => new HttpMetrics(service) },
        HttpObservationHooks,
      ],
      exports: [HttpMetrics, SERVICE_LOGGER],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes(ALL_ROUTES);
  }
}
