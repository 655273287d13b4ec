import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServiceName } from '@suite/contracts';
import { Logger as PinoNestLogger, type PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { HttpMetrics } from './http-metrics';
import { HttpObservationHooks } from './http-observation.hooks';
import { MetricsHttpController } from './metrics.http.controller';
import {
  OBSERVABILITY_OPTIONS,
  SERVICE_LOGGER,
  type ObservabilityModuleOptions,
  type ObservabilityOptions,
} from './observability.options';
import { createServiceLogger } from './service-logger';
import { registerServiceLogger } from './service-logger.registry';

// Structured logs, request ids and Prometheus metrics for one service. Global, so any
// module can inject HttpMetrics to register its own series on the app's registry.
@Global()
@Module({})
export class ObservabilityModule {
  constructor(adapterHost: HttpAdapterHost, @Inject(SERVICE_LOGGER) logger: Logger) {
    // nestjs-pino's mapping of Nest's logger calls (context, stacks, errors) onto this
    // app's own pino logger. Not its LoggerModule: that binds a pino-http child logger to
    // every request, which cost more than the rest of a request's handling; the service
    // logger tags lines with the request id itself (createServiceLogger). A pino logger
    // has every method nestjs-pino calls on its PinoLogger.
    const nestLogger = new PinoNestLogger(logger as unknown as PinoLogger, {});
    registerServiceLogger(adapterHost.httpAdapter, nestLogger);
  }

  static forService(service: ServiceName, options: ObservabilityModuleOptions): DynamicModule {
    const resolved: ObservabilityOptions = { service, ...options };
    const logger = createServiceLogger(resolved);
    return {
      module: ObservabilityModule,
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
}
