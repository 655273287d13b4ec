import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dataSourceReadinessCheck, ReadinessRegistry } from '@suite/service-kit';
import type { DataSource } from 'typeorm';

// Registers the shared Postgres readiness check for this app's data source.
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('postgres', dataSourceReadinessCheck(this.db));
  }
}
