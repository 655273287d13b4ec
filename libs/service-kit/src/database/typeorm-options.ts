import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

export interface TypeOrmOptionsInput {
  url: string;
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  // Connections per instance; defaults to pg's 10.
  poolSize?: number;
  // Shown in pg_stat_activity, so a DBA can tell which service holds a connection.
  applicationName?: string;
}

// DataSource options for a service's own Postgres database. The schema changes only
// through reviewed migrations, never by TypeORM comparing entities to tables. Open the data
// source with initializeAndMigrate (or migratingDataSourceFactory in TypeOrmModule), which
// applies pending migrations in one transaction under a lock that replicas share.
export function typeOrmOptionsFor(input: TypeOrmOptionsInput): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: input.url,
    entities: input.entities,
    migrations: input.migrations,
    synchronize: false,
    // Never TypeORM's unlocked run: replicas starting together would race.
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    ...(input.poolSize === undefined ? {} : { poolSize: input.poolSize }),
    ...(input.applicationName === undefined ? {} : { applicationName: input.applicationName }),
  };
}
