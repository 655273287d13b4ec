import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  FencedHolds,
  LeasedOutboxRelay,
  PostgresEpochs,
  createIdempotentProducer,
  type IdempotentProducer,
  type RedisClient,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { AUCTION_CONFIG, AUTOCOMMIT, TRANSACTIONS } from '../auction.tokens';
import type { AuctionConfig } from '../config/auction.config';
import { AuctionCloser } from './auction-closer';

// The background work of an instance, each part switchable in config: the closer (acts
// only while it holds the closer lease) and the outbox relay (only while it holds the
// shard's lease). Every instance runs both; leases pick one of each.
@Injectable()
export class AuctionWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuctionWorkers.name);
  private readonly owner = `auction-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private redis: RedisClient | undefined;
  private closer: AuctionCloser | undefined;
  private relay: LeasedOutboxRelay | undefined;
  private producer: IdempotentProducer | undefined;

  constructor(
    @Inject(AUCTION_CONFIG) private readonly config: AuctionConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, sql, tx } = this;
    if (config.CLOSER === 'off' && config.OUTBOX_RELAY === 'off') return;
    this.redis = createRedisClient({
      url: config.REDIS_URL,
      clusterNodes: config.REDIS_CLUSTER_NODES,
      keyPrefix: config.REDIS_KEY_PREFIX,
    });
    // Auction's closer and relay leases (and their epochs) live under its own namespace, so
    // they never meet ticketing's in a shared Redis.
    const holds = new FencedHolds({
      namespace: 'auction',
      redis: this.redis,
      epochs: new PostgresEpochs(sql),
    });
    if (config.CLOSER === 'on') {
      this.closer = new AuctionCloser({
        holds,
        tx,
        sql,
        topic: config.AUCTION_EVENTS_TOPIC,
        owner: this.owner,
        leaseTtlMs: config.CLOSER_LEASE_TTL_MS,
        pollMs: config.CLOSER_POLL_MS,
        onElected: (lease) => this.logger.log(`elected closer (token ${lease.token})`),
        onDemoted: (reason) => this.logger.warn(`no longer the closer: ${reason}`),
        onError: (error) => this.logger.error(`closer: ${(error as Error).message}`),
      });
      this.closer.start();
    }
    if (config.OUTBOX_RELAY === 'on') {
      const kafka = new Kafka({
        clientId: 'auction',
        brokers: config.KAFKA_BROKERS,
        logLevel: logLevel.ERROR,
      });
      this.producer = createIdempotentProducer(kafka);
      await this.producer.connect();
      this.relay = new LeasedOutboxRelay(tx, this.producer, {
        holds,
        shard: 0,
        owner: this.owner,
        ttlMs: config.OUTBOX_RELAY_LEASE_TTL_MS,
        batchSize: 100,
        timing: { idleDelayMs: 100, errorDelayMs: 1_000 },
        onError: (error) => this.logger.error(`outbox relay: ${(error as Error).message}`),
      });
      this.relay.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.closer?.stop();
    await this.relay?.stop();
    await this.producer?.disconnect();
    this.redis?.disconnect();
  }
}
