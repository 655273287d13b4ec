import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { TicketingConfig } from './config/ticketing.config';
import { TicketingModule } from './ticketing.module';
import { TICKETING_CONFIG } from './ticketing.tokens';

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
        // Every route needs the caller's bearer token, verified here with the issuer's public
        // key: the user is the token's subject, never a header the caller could set. Health
        // and metrics are public.
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        // DOMAIN=off boots health and metrics only (the wiring test, no infrastructure).
        ...(config.DOMAIN === 'on' ? [TicketingModule.register(config)] : []),
      ],
      providers: [{ provide: TICKETING_CONFIG, useValue: config }],
      exports: [TICKETING_CONFIG],
    };
  }
}
