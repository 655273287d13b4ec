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
      pool.on('error', () => undefined);
      await pool.end();
      await admin(async (c) => {
        // end() resolves before the pool's sockets have closed. Give them (and any worker
        // process a test killed) a moment to go, so the forced drop terminates no
        // connection that would then report an error into a finished test.
        const deadline = Date.now() + 3_000;
        while (Date.now() < deadline) {
          const { rows } = await c.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]?.n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}
