import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Agent } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  PartitionAssigner,
  PostgresEpochs,
  type OwnedPartitions,
  type RedisClient,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import type { CrawlerConfig } from '../config/crawler.config';
import { AUTOCOMMIT, CRAWLER_CONFIG, TRANSACTIONS } from '../crawler.tokens';
import { FrontierRepository } from '../frontier/infra/frontier.repository';
import { PerWorkerHostPoliteness, SharedHostPoliteness } from '../frontier/infra/host-politeness';
import { LoopbackFetcher } from '../frontier/infra/loopback-fetcher';
import { FRONTIER_GROUP, FrontierWorker, type Ownership } from './frontier-worker';
import { FrontierMetrics } from './frontier.metrics';

// The background work of an instance: it joins the frontier's group, owns the partitions the
// assigner gives it, and runs the frontier loop over them. Every instance runs it; the
// partitions decide who fetches which host.
@Injectable()
export class CrawlerWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CrawlerWorkers.name);
  private redis: RedisClient | undefined;
  private assigner: PartitionAssigner | undefined;
  private worker: FrontierWorker | undefined;
  private agent: Agent | undefined;
  private trace: WriteStream | undefined;

  constructor(
    @Inject(CRAWLER_CONFIG) private readonly config: CrawlerConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly repository: FrontierRepository,
    private readonly metrics: FrontierMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    if (config.CRAWLER_WORKER === 'off') return;
    const memberId =
      config.CRAWLER_MEMBER_ID ?? `crawler-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.redis = createRedisClient({
      url: config.REDIS_URL,
      clusterNodes: config.REDIS_CLUSTER_NODES,
      keyPrefix: config.REDIS_KEY_PREFIX,
    });
    let ownership: Ownership;
    if (config.CRAWLER_MODE === 'naive') {
      // Every partition, always, with one token that no fence checks.
      const all: OwnedPartitions = new Map(
        Array.from({ length: config.CRAWLER_PARTITIONS }, (_, p) => [p, 1] as const),
      );
      ownership = { owned: () => all };
      this.logger.warn('naive mode: no partitions, no fence, a per-process limiter (tests only)');
    } else {
      const assigner = new PartitionAssigner({
        redis: this.redis,
        namespace: 'crawler',
        epochs: new PostgresEpochs(this.sql),
        group: FRONTIER_GROUP,
        memberId,
        partitions: config.CRAWLER_PARTITIONS,
        leaseMs: config.CRAWLER_LEASE_MS,
        heartbeatMs: config.CRAWLER_HEARTBEAT_MS,
        onError: (error) => this.logger.warn(`assignment: ${(error as Error).message}`),
      });
      assigner.onChange((owned) =>
        this.logger.log(
          `${memberId} owns ${owned.size} of ${config.CRAWLER_PARTITIONS} partitions`,
        ),
      );
      await assigner.start();
      this.assigner = assigner;
      ownership = assigner;
    }
    if (config.CRAWLER_TRACE_FILE) {
      this.trace = createWriteStream(config.CRAWLER_TRACE_FILE, { flags: 'a' });
    }
    this.agent = new Agent({ keepAlive: true, maxSockets: config.CRAWLER_CONCURRENCY * 2 });
    this.worker = new FrontierWorker({
      tx: this.tx,
      sql: this.sql,
      repository: this.repository,
      ownership,
      politeness:
        config.CRAWLER_MODE === 'naive'
          ? new PerWorkerHostPoliteness()
          : new SharedHostPoliteness(this.redis),
      fetcher: new LoopbackFetcher({
        webSimulatorPort: config.WEB_SIMULATOR_PORT,
        timeoutMs: config.CRAWLER_FETCH_TIMEOUT_MS,
        maxBodyBytes: 1_000_000,
        agent: this.agent,
      }),
      partitions: config.CRAWLER_PARTITIONS,
      concurrency: config.CRAWLER_CONCURRENCY,
      guardMs: config.CRAWLER_GUARD_MS,
      idleMs: config.CRAWLER_IDLE_MS,
      maxAttempts: 3,
      mode: config.CRAWLER_MODE,
      onError: (error) => this.logger.error(`frontier: ${(error as Error).message}`),
      onEvent: (event) => {
        this.metrics.record(event);
        if (event.kind === 'sent') {
          this.trace?.write(`${JSON.stringify({ member: memberId, ...event })}\n`);
          return;
        }
        if (event.kind === 'adopted' && event.requeued > 0) {
          this.logger.log(`partition ${event.partition}: put back ${event.requeued} URLs`);
        } else if (event.kind === 'refused-by-fence') {
          this.logger.warn(`partition ${event.partition}: write refused, a newer owner has it`);
        } else if (event.kind === 'finished') {
          this.logger.log(`crawl ${event.crawlId} finished`);
        }
      },
    });
    this.worker.start();
  }

  // Stop fetching, let the requests in flight complete, then hand the partitions over.
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
    await this.assigner?.stop().catch(() => undefined);
    this.agent?.destroy();
    this.trace?.end();
    this.redis?.disconnect();
  }
}
