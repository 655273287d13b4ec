import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../crawler.tokens';
import { FrontierRepository } from '../../frontier/infra/frontier.repository';
import type { CrawlView } from '../domain/crawl';

export type GetCrawlResult =
  | { kind: 'found'; crawl: CrawlView }
  | { kind: 'not-found'; id: string };

@Injectable()
export class GetCrawlUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly repository: FrontierRepository,
  ) {}

  async execute(id: string): Promise<GetCrawlResult> {
    const crawl = await this.repository.view(this.sql, id);
    return crawl ? { kind: 'found', crawl } : { kind: 'not-found', id };
  }
}
