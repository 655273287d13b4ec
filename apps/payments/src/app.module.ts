import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@suite/coordination-nest';
import { PAYMENTS_CONFIG, type PaymentsConfig } from './config/payments.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.forService('payments')],
      providers: [{ provide: PAYMENTS_CONFIG, useValue: config }],
      exports: [PAYMENTS_CONFIG],
    };
  }
}
