import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, ObservabilityModule } from '@suite/coordination-nest';
import { TICKETING_CONFIG, type TicketingConfig } from './config/ticketing.config';
import { TicketingModule } from './ticketing.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: TicketingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('ticketing', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('ticketing'),
        // DOMAIN=off boots health and metrics only (the wiring test, no infrastructure).
        ...(config.DOMAIN === 'on' ? [TicketingModule.register(config)] : []),
      ],
      providers: [{ provide: TICKETING_CONFIG, useValue: config }],
      exports: [TICKETING_CONFIG],
    };
  }
}
