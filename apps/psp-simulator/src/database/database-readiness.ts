import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ReadinessRegistry } from '@suite/coordination-nest';
import type { DataSource } from 'typeorm';

@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('postgres', async () => {
      await this.db.query('select 1');
    });
  }
}
