import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ReadinessRegistry, type ReadinessCheck } from '../health/readiness.registry';

// Readiness check for ReadinessRegistry: the pool can hand out a connection that answers.
export function dataSourceReadinessCheck(dataSource: DataSource): ReadinessCheck {
  return async () => {
    if (!dataSource.isInitialized) {
      throw new Error('database connection is not initialised');
    }
    await dataSource.query('select 1');
  };
}

// The provider a TypeOrmModule service lists to have readiness check its data source.
@Injectable()
export class PostgresReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('postgres', dataSourceReadinessCheck(this.dataSource));
  }
}
