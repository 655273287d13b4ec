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
  createIdempotentProducer,
  PartitionAssigner,
  PostgresEpochs,
  type IdempotentProducer,
  type RedisClient,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import { createRedisClient } from '@suite/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import type { SchedulerConfig } from '../config/scheduler.config';
import { FirePass, JOBS_GROUP, NaiveFirePass } from '../fires/fire-due-jobs/fire-due-jobs';
import { Deliverer } from '../fires/infra/deliverer';
import { AUTOCOMMIT, SCHEDULER_CONFIG, TRANSACTIONS } from '../scheduler.tokens';
import { SchedulerFirer } from './scheduler-firer';

// The background work of an instance: it joins the jobs group, owns the partitions the
// assigner gives it (each with a fencing token) and fires their due jobs. Every instance
// runs it; FIRING=off leaves an instance serving only the API and the sink.
@Injectable()
export class SchedulerWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerWorkers.name);
  private readonly owner = `scheduler-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private redis: RedisClient | undefined;
  private assigner: PartitionAssigner | undefined;
  private producer: IdempotentProducer | undefined;
  private firer: SchedulerFirer | undefined;

  constructor(
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, sql, tx } = this;
    if (config.FIRING === 'off') return;
    const kafka = new Kafka({
      clientId: 'scheduler',
      brokers: config.KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    this.producer = createIdempotentProducer(kafka);
    await this.producer.connect();
    const deliverer = new Deliverer({
      producer: this.producer,
      timeoutMs: config.DELIVERY_TIMEOUT_MS,
      concurrency: config.DELIVERY_CONCURRENCY,
    });
    const passOptions = {
      tx,
      sql,
      deliverer,
      owner: this.owner,
      batchSize: config.FIRE_BATCH_SIZE,
      redeliverAfterMs: config.REDELIVER_AFTER_MS,
      onFencedOut: (partition: number, step: string) =>
        this.logger.warn(`partition ${partition}: ${step} refused by the fence (a newer owner)`),
    };
    if (config.FIRE_MODE === 'naive') {
      this.logger.warn('FIRE_MODE=naive: every due job is fired by every instance, unfenced');
      this.firer = new SchedulerFirer({
        owned: () => new Map(),
        pass: new NaiveFirePass(passOptions),
        pollMs: config.POLL_MS,
        onError: (error) => this.logger.error(`firing: ${(error as Error).message}`),
      });
      this.firer.start();
      return;
    }
    this.redis = createRedisClient({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
    this.assigner = new PartitionAssigner({
      redis: this.redis,
      namespace: 'scheduler',
      epochs: new PostgresEpochs(sql),
      group: JOBS_GROUP,
      memberId: this.owner,
      partitions: config.SCHEDULER_PARTITIONS,
      leaseMs: config.LEASE_TTL_MS,
      heartbeatMs: Math.max(100, Math.floor(config.LEASE_TTL_MS / 3)),
      onError: (error) => this.logger.error(`assignment: ${(error as Error).message}`),
    });
    await this.assigner.start();
    this.firer = new SchedulerFirer({
      owned: () => this.assigner?.owned() ?? new Map(),
      pass: new FirePass(passOptions),
      pollMs: config.POLL_MS,
      onError: (error) => this.logger.error(`firing: ${(error as Error).message}`),
    });
    this.firer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.firer?.stop();
    await this.assigner?.stop();
    await this.producer?.disconnect();
    this.redis?.disconnect();
  }
}
