import { createTestDatabase, type TestDatabase } from '@suite/testing';
import { DataSource } from 'typeorm';
import { coordinationTablesMigration } from './coordination-tables';
import { initializeAndMigrate } from './migrate-under-lock';
import { typeOrmOptionsFor } from './typeorm-options';

describe('coordinationTablesMigration', () => {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('coordination_tables');
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    dataSource = undefined;
    await database.drop();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await database.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'public' and table_name <> 'migrations' order by table_name`,
    );
    return rows.map((row) => row.table_name);
  }

  it('creates the tables of the mechanisms named, recorded under the service-era name', async () => {
    const migration = coordinationTablesMigration(1761000001000, ['outbox', 'fencing']);
    expect(migration.name).toBe('CoordinationTables1761000001000');
    dataSource = await initializeAndMigrate(
      new DataSource(
        typeOrmOptionsFor({ url: database.url, entities: [], migrations: [migration] }),
      ),
    );

    expect(await tables()).toEqual(['coordination_fences', 'outbox_messages']);
    const { rows } = await database.pool.query('select name from migrations');
    expect(rows).toEqual([{ name: 'CoordinationTables1761000001000' }]);
  });

  it('creates every coordination table when all four are named', async () => {
    dataSource = await initializeAndMigrate(
      new DataSource(
        typeOrmOptionsFor({
          url: database.url,
          entities: [],
          migrations: [
            coordinationTablesMigration(1761000001000, [
              'saga',
              'outbox',
              'suppression',
              'fencing',
            ]),
          ],
        }),
      ),
    );
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'coordination_fences',
        'idempotency_keys',
        'inbox_messages',
        'outbox_messages',
        'saga_instances',
      ]),
    );
  });

  it('refuses a timestamp TypeORM could not order by', () => {
    expect(() => coordinationTablesMigration(17610000, ['outbox'])).toThrow(/13 digits/);
  });
});
