import { Module, type DynamicModule } from '@nestjs/common';
import { PostgresPersistenceModule } from '@suite/service-kit';
import type { CrawlerConfig } from './config/crawler.config';
import { CRAWLER_CONFIG } from './crawler.tokens';
import { GetCrawlHttpController } from './crawls/get-crawl/get-crawl.http.controller';
import { GetCrawlUseCase } from './crawls/get-crawl/get-crawl.use-case';
import { StartCrawlHttpController } from './crawls/start-crawl/start-crawl.http.controller';
import { StartCrawlUseCase } from './crawls/start-crawl/start-crawl.use-case';
import { CRAWLER_MIGRATIONS } from './database/migrations';
import { FrontierRepository } from './frontier/infra/frontier.repository';
import { CrawlerWorkers } from './workers/crawler.workers';
import { FrontierMetrics } from './workers/frontier.metrics';

// Crawls and their frontier over the service's own Postgres database; the workers share the
// frontier's partitions through Redis.
@Module({})
export class CrawlerModule {
  static register(config: CrawlerConfig): DynamicModule {
    return {
      module: CrawlerModule,
      imports: [
        PostgresPersistenceModule.register({
          url: config.DATABASE_URL,
          migrations: CRAWLER_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'crawler',
        }),
      ],
      controllers: [StartCrawlHttpController, GetCrawlHttpController],
      providers: [
        { provide: CRAWLER_CONFIG, useValue: config },
        { provide: FrontierRepository, useValue: new FrontierRepository() },
        StartCrawlUseCase,
        GetCrawlUseCase,
        FrontierMetrics,
        CrawlerWorkers,
      ],
    };
  }
}
