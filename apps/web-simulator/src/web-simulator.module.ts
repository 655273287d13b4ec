import { Module, type DynamicModule } from '@nestjs/common';
import type { WebSimulatorConfig } from './config/web-simulator.config';
import { WebHttpController } from './web/admin/web.http.controller';
import { SimulatedWeb } from './web/infra/simulated-web';
import { VirtualHosts } from './web/infra/virtual-hosts';
import { WEB_SIMULATOR_CONFIG } from './web-simulator.tokens';

// The generated web, served by Host header, and its admin API. No database: a run lives in
// memory and a restart starts a new one.
@Module({})
export class WebSimulatorModule {
  static register(config: WebSimulatorConfig): DynamicModule {
    return {
      module: WebSimulatorModule,
      controllers: [WebHttpController],
      providers: [
        { provide: WEB_SIMULATOR_CONFIG, useValue: config },
        {
          provide: SimulatedWeb,
          useFactory: () =>
            new SimulatedWeb({
              seed: config.WEB_SEED,
              hosts: config.WEB_HOSTS,
              pagesPerHost: config.WEB_PAGES_PER_HOST,
              minIntervalMs: config.WEB_MIN_INTERVAL_MS,
              slowMs: config.WEB_SLOW_MS,
            }),
        },
        VirtualHosts,
      ],
    };
  }
}
