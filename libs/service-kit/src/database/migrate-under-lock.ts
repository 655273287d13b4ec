import { DataSource, MigrationExecutor, type DataSourceOptions } from 'typeorm';

// One key for "the schema is being migrated". Advisory locks are scoped to the current
// database, so services that share a Postgres server but not a database never wait on
// each other.
export const MIGRATION_LOCK_KEY = 7_110_351_041;

// Opens the pool, then applies pending migrations while holding a Postgres advisory lock.
// TypeORM's own `migrationsRun` takes no lock: replicas booting together on an empty
// database each see no migration applied, each create the same tables, and all but one
// crash on "relation already exists". Under the lock, the first replica migrates and the
// others wait, then find nothing pending. The migrations run in one transaction on the
// locking connection, so a pool of one connection suffices; if one fails, none is kept,
// the lock is released and the error propagates (the service does not start).
export async function initializeAndMigrate(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  try {
    await migrateUnderLock(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

// For TypeOrmModule.forRootAsync({ dataSourceFactory }): the data source Nest receives is
// already open and migrated.
export async function migratingDataSourceFactory(options?: DataSourceOptions): Promise<DataSource> {
  if (options === undefined) throw new Error('TypeORM options are required');
  return initializeAndMigrate(new DataSource(options));
}
