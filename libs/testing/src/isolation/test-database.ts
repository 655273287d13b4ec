import { Client, Pool } from 'pg';
import { integrationEndpoints } from '../endpoints/endpoints';
import { uniqueName } from './names';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database, even with connections still open. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: integrationEndpoints().databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file. */
export async function createTestDatabase(label: string, poolSize = 10): Promise<TestDatabase> {
  const name = uniqueName(label);
  await admin((c) => c.query(`create database ${name}`));
  const url = withDatabase(integrationEndpoints().databaseUrl, name);
  const pool = new Pool({ connectionString: url, max: poolSize });
  return {
    name,
    url,
    pool,
    async drop() {
      // Idle sockets may still be closing when end() resolves; the forced drop below can
      // terminate one, which must not surface as an unhandled pool error.
      pool.on('error', () => undefined);
      await pool.end();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
