import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { partitionOf, type TransactionRunner } from '@suite/coordination';
import type { CrawlerConfig } from '../../config/crawler.config';
import { CRAWLER_CONFIG, TRANSACTIONS } from '../../crawler.tokens';
import { normaliseUrl } from '../../frontier/domain/crawl-url';
import { FrontierRepository, type FrontierEntry } from '../../frontier/infra/frontier.repository';
import type { CrawlView } from '../domain/crawl';

export interface StartCrawlCommand {
  seeds: string[];
  minIntervalMs: number;
  maxDepth?: number;
}

export type StartCrawlResult =
  | { kind: 'started'; crawl: CrawlView }
  | { kind: 'bad-seed'; seed: string; reason: 'malformed' | 'not-http' | 'off-loopback' };

export const DEFAULT_MAX_DEPTH = 50;

// A crawl and its seeds, in one transaction. Seeds are checked like every link: http, and
// on loopback only; the frontier never holds an address it may not fetch.
@Injectable()
export class StartCrawlUseCase {
  constructor(
    @Inject(CRAWLER_CONFIG) private readonly config: CrawlerConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    private readonly repository: FrontierRepository,
  ) {}

  async execute(command: StartCrawlCommand): Promise<StartCrawlResult> {
    const entries: FrontierEntry[] = [];
    for (const seed of command.seeds) {
      const normal = normaliseUrl(seed);
      if (!normal.ok) return { kind: 'bad-seed', seed, reason: normal.reason };
      entries.push({
        url: normal.url,
        host: normal.host,
        partition: partitionOf(normal.host, this.config.CRAWLER_PARTITIONS),
        depth: 0,
      });
    }
    const id = randomUUID();
    const crawl = await this.tx.inTransaction(async (sql) => {
      await this.repository.insertCrawl(sql, {
        id,
        seeds: entries.map((e) => e.url),
        minIntervalMs: command.minIntervalMs,
        maxDepth: command.maxDepth ?? DEFAULT_MAX_DEPTH,
      });
      await this.repository.enqueue(sql, id, entries);
      return this.repository.view(sql, id);
    });
    if (!crawl) throw new Error(`crawl ${id} vanished in its own transaction`);
    return { kind: 'started', crawl };
  }
}
