import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@suite/coordination-nest';
import { PSP_SIMULATOR_CONFIG, type PspSimulatorConfig } from './config/psp-simulator.config';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: PspSimulatorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.forService('psp-simulator')],
      providers: [{ provide: PSP_SIMULATOR_CONFIG, useValue: config }],
      exports: [PSP_SIMULATOR_CONFIG],
    };
  }
}
