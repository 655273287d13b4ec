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
// through reviewed migrations, applied at start-up in one transaction, never by
// TypeORM comparing entities to tables. Usable as `new DataSource(...)` or
// `TypeOrmModule.forRoot(...)`.
export function typeOrmOptionsFor(input: TypeOrmOptionsInput): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: input.url,
    entities: input.entities,
    migrations: input.migrations,
    synchronize: false,
    migrationsRun: true,
    // All pending migrations commit together or not at all, so a failed boot leaves
    // the schema as it was.
    migrationsTransactionMode: 'all',
    ...(input.poolSize === undefined ? {} : { poolSize: input.poolSize }),
    ...(input.applicationName === undefined ? {} : { applicationName: input.applicationName }),
  };
}
