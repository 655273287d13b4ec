import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, HealthModule, ObservabilityModule } from '@suite/service-kit';
import type { CrawlerConfig } from './config/crawler.config';
import { CrawlerModule } from './crawler.module';

@Module({})
export class AppModule {
  // The config is parsed once in main.ts and handed in, so tests boot the same module
  // with a config object instead of an environment.
  static register(config: CrawlerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CrawlerModule.register(config),
        ObservabilityModule.forService('crawler', { logLevel: config.LOG_LEVEL }),
        HealthModule.forService('crawler'),
        AuthModule.forRoot({
          publicKeyPem: config.JWT_PUBLIC_KEY,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
      ],
    };
  }
}
