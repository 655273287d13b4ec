import type { OnApplicationShutdown } from '@nestjs/common';
import type { TransactionRunner } from '@suite/coordination';
import { typeOrmOptionsFor, typeOrmTransactions } from '@suite/service-kit';
import { DataSource } from 'typeorm';

// The connections the saga's messages move on: the outbox relay, the reply consumer and the
// command consumer. On the HTTP pool they queued behind the flash sale's holds, polls and
// checkouts for as long as those kept all 10 connections busy, and every saga waited on
// them. On a pool of their own they wait only for each other. What a request or the
// recoverer runs (the order and the saga's start, drive() of the local steps) stays on the
// HTTP pool: put there, drive()'s dozens of concurrent steps starved the relay instead
// (a command took 17 s to be published on a pool of 4).
export const SAGA_DATABASE = Symbol('SAGA_DATABASE');

export interface SagaDatabaseOptions {
  url: string;
  // 0: the saga's work shares the HTTP pool.
  poolSize: number;
}

export class SagaDatabase implements OnApplicationShutdown {
  private constructor(
    private readonly dataSource: DataSource | undefined,
    readonly transactions: TransactionRunner,
  ) {}

  // `main` is the service's data source, already migrated: this pool only ever sees the
  // schema the migrations made, and never migrates.
  static async open(main: DataSource, options: SagaDatabaseOptions): Promise<SagaDatabase> {
    if (options.poolSize === 0) return new SagaDatabase(undefined, typeOrmTransactions(main));
    const own = new DataSource({
      ...typeOrmOptionsFor({
        url: options.url,
        entities: [],
        migrations: [],
        poolSize: options.poolSize,
        applicationName: 'ticketing-saga',
      }),
      logging: false,
    });
    await own.initialize();
    return new SagaDatabase(own, typeOrmTransactions(own));
  }

  // After the workers stopped (beforeApplicationShutdown), so nothing still uses it.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }
}
